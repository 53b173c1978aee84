import path from 'node:path';
import Docker from 'dockerode';
import { type HandsonConfig, loadConfig } from '../config.ts';
import { ensurePackageRepository } from '../services/package-repository.ts';
import { ensureRegistry } from '../services/registry.ts';
import { IMAGES, selectImages } from './catalog.ts';
import { removeLeftovers, removeStaleStaging } from './cleanup.ts';
import type { ImageResult } from './image-step.ts';
import { type PipelineState, planSteps, type Services } from './pipeline.ts';
import { type ProgressMode, runSteps } from './progress.ts';
import { withRunLock } from './run-lock.ts';

export { type ExpectedImage, expectedImages, IMAGES, type ImageSpec } from './catalog.ts';
export type { ImageResult } from './image-step.ts';

export interface BuildImagesOptions {
  /** Print nothing while building (the caller prints the returned summary as JSON). */
  json?: boolean;
  /** Only these images (and what they are built from), e.g. `['nginx']`. */
  only?: string[];
  signal?: AbortSignal;
  /** Progress lines go here (one per step) instead of a live display on the terminal. */
  log?: (line: string) => void;
  cfg?: HandsonConfig;
  docker?: Docker;
  services?: Services;
}

export interface BuildImagesSummary {
  images: ImageResult[];
  packages: { count: number };
  ms: number;
}

/**
 * Builds every image and the offline package repository from Debian packages on the
 * sandbox engine and pushes the images to the local registry. Idempotent: what exists with
 * the same content key is left alone, so a run with nothing to do takes a few seconds.
 *
 * @example
 * const summary = await buildImages({ only: ['busybox'], log: console.log });
 * summary.images[0] // { name: 'busybox', ref: '127.0.0.1:5480/library/busybox:latest', digest: 'sha256:…', cached: true, ms: 41 }
 */
export async function buildImages(opts: BuildImagesOptions = {}): Promise<BuildImagesSummary> {
  const started = performance.now();
  const cfg = opts.cfg ?? loadConfig();
  const docker = opts.docker ?? new Docker({ socketPath: cfg.engine.socket });
  const services = opts.services ?? { ensureRegistry, ensurePackageRepository };
  const state: PipelineState = { packageCount: 0, ids: new Map(), results: [] };
  const steps = planSteps(cfg, docker, services, selectImages(opts.only), state);
  const mode: ProgressMode = opts.json
    ? 'quiet'
    : opts.log
      ? 'lines'
      : process.stdout.isTTY
        ? 'tty'
        : 'lines';
  const write = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  await withRunLock(
    path.join(cfg.runDir, 'images.lock'),
    async () => {
      await removeStaleStaging(cfg);
      await runSteps(steps, mode, write, opts.signal);
      if (state.results.some((image) => !image.cached)) await removeLeftovers(docker);
    },
    {
      signal: opts.signal,
      onWait: (pid) => {
        if (mode !== 'quiet')
          write(`Waiting for another \`handson images\` (pid ${pid}) to finish…`);
      },
    },
  );
  const order = IMAGES.map((spec) => spec.name);
  return {
    images: state.results.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name)),
    packages: { count: state.packageCount },
    ms: Math.round(performance.now() - started),
  };
}
