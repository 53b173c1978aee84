import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { IMAGES, selectImages } from '../../../sandbox-server/src/images/catalog.ts';
import { type PipelineState, planSteps } from '../../../sandbox-server/src/images/pipeline.ts';

// Planning only: no step runs, so the engine and services are never called.
const services = { ensureRegistry: async () => [], ensurePackageRepository: async () => [] };
const plan = (only?: string[]) => {
  const state: PipelineState = { packageCount: 0, ids: new Map(), results: [] };
  return planSteps(loadConfig({}), {} as Docker, services, selectImages(only), state);
};

describe('the images plan', () => {
  it('has one step per image after the services, the base tree and the package repository', () => {
    expect(plan().map((step) => step.id)).toEqual([
      'services',
      'base',
      'packages',
      ...IMAGES.map((spec) => `image:${spec.name}`),
    ]);
  });

  it('fills the package repository from the base tree', () => {
    expect(plan().find((step) => step.id === 'packages')?.needs).toEqual(['base']);
  });

  it('builds each Dockerfile image after its parent, with apt and the registry up', () => {
    const steps = plan();
    for (const spec of IMAGES.filter((s) => s.kind === 'dockerfile')) {
      expect(steps.find((step) => step.id === `image:${spec.name}`)?.needs).toEqual([
        'packages',
        'services',
        `image:${spec.parent}`,
      ]);
    }
  });

  it('imports debian as soon as the base tree exists, beside the repository fill', () => {
    expect(plan().find((step) => step.id === 'image:debian')?.needs).toEqual(['base', 'services']);
  });

  it('plans only the named images and what they are built from', () => {
    expect(plan(['hello-world']).map((step) => step.id)).toEqual([
      'services',
      'base',
      'packages',
      'image:busybox',
      'image:hello-world',
    ]);
  });
});
