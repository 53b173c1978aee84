import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { runChecks, runDoctor } from '../../../sandbox-server/src/doctor/doctor.ts';
import type { FixActions } from '../../../sandbox-server/src/doctor/fix.ts';
import type { FixAction } from '../../../sandbox-server/src/doctor/types.ts';
import { healthyProbes } from './fake-probes.ts';

const cfg = loadConfig({});

/** Fix actions that record what ran and flip the fake machine's state, like the real ones. */
function recordingActions(onRun: (action: FixAction) => void): FixActions {
  const act = (action: FixAction) => async () => {
    onRun(action);
    return `${action} done`;
  };
  return {
    'apt-install': act('apt-install'),
    'raise-user-limits': act('raise-user-limits'),
    'mount-disk-pool': act('mount-disk-pool'),
    'start-engine': act('start-engine'),
    'start-registry': act('start-registry'),
    'restart-registry': act('restart-registry'),
    'start-packages': act('start-packages'),
    'build-images': act('build-images'),
  };
}

describe('doctor', () => {
  it('passes every check on a healthy machine, always under the same names', async () => {
    const results = await runChecks(cfg, healthyProbes());
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => r.name)).toEqual([
      'tools',
      'engine',
      'engine userns',
      'registry',
      'package repository',
      'package repository content',
      'reachable from sandboxes',
      'registry read-only for sandboxes',
      'images',
      'cgroups',
      'capabilities',
      'loop devices',
      'per-user kernel limits',
      'disk',
      'sandbox disk pool',
    ]);
  });

  it('reports a stopped registry, and the checks that need it, as failures', async () => {
    const probes = healthyProbes({
      registry: async () => [
        { address: '127.0.0.1', port: 5480, answering: false },
        { address: '10.77.0.1', port: 5480, answering: false },
      ],
    });
    const results = await runChecks(cfg, probes);
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName.registry).toMatchObject({ ok: false, fix: 'start-registry' });
    expect(byName.registry!.detail).toContain('127.0.0.1:5480 and 10.77.0.1:5480');
    expect(byName['reachable from sandboxes']).toMatchObject({ ok: false });
    expect(byName.images!.detail).toContain('not checked');
  });

  it('--fix starts the registry and checks again until healthy', async () => {
    let registryUp = false;
    const ran: FixAction[] = [];
    const probes = healthyProbes({
      registry: async () => [{ address: '127.0.0.1', port: 5480, answering: registryUp }],
    });
    const report = await runDoctor(
      cfg,
      probes,
      recordingActions((action) => {
        ran.push(action);
        if (action === 'start-registry') registryUp = true;
      }),
      { fix: true },
    );
    expect(ran).toEqual(['start-registry']);
    expect(report.ok).toBe(true);
    expect(report.fixes).toEqual([
      { action: 'start-registry', ok: true, detail: 'start-registry done' },
    ]);
  });

  it('--fix follows up on what a first fix reveals: a started engine lets missing images show', async () => {
    let engineUp = false;
    let imagesBuilt = false;
    const ran: FixAction[] = [];
    const probes = healthyProbes({
      engine: async () => ({ pid: undefined, answering: engineUp, userns: true, logFile: 'x' }),
      missingRegistryImages: async () => ({
        expected: 1,
        missing: imagesBuilt ? [] : ['library/busybox:latest'],
      }),
    });
    const report = await runDoctor(
      cfg,
      probes,
      recordingActions((action) => {
        ran.push(action);
        if (action === 'start-engine') engineUp = true;
        if (action === 'build-images') imagesBuilt = true;
      }),
      { fix: true },
    );
    expect(ran).toEqual(['start-engine', 'build-images']);
    expect(report.ok).toBe(true);
  });

  it('does not retry a fix that failed, and reports it', async () => {
    const ran: FixAction[] = [];
    const actions = recordingActions((action) => ran.push(action));
    actions['start-engine'] = async () => {
      ran.push('start-engine');
      throw new Error('dockerd exited');
    };
    const probes = healthyProbes({
      engine: async () => ({ pid: undefined, answering: false, logFile: 'x' }),
    });
    const report = await runDoctor(cfg, probes, actions, { fix: true });
    expect(ran.filter((a) => a === 'start-engine')).toHaveLength(1);
    expect(report.ok).toBe(false);
    expect(report.fixes).toContainEqual({
      action: 'start-engine',
      ok: false,
      detail: 'dockerd exited',
    });
  });

  it('without root, --fix changes nothing', async () => {
    const ran: FixAction[] = [];
    const probes = healthyProbes({
      isRoot: () => false,
      registry: async () => [{ address: '127.0.0.1', port: 5480, answering: false }],
    });
    const report = await runDoctor(
      cfg,
      probes,
      recordingActions((a) => ran.push(a)),
      { fix: true },
    );
    expect(ran).toEqual([]);
    expect(report.ok).toBe(false);
    expect(report.fixes).toBeUndefined();
  });
});
