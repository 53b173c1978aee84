import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CpuPriorityPolicy,
  DEFAULT_CPU_PRIORITY,
  keepCpuFair,
  parseUsageNs,
  weights,
} from '../../../../sandbox-server/src/sandbox/dind/cpu-priority.ts';
import { cpuPriorityOptions } from '../../../../sandbox-server/src/sandbox/dind/limits.ts';

const SECOND_NS = 1e9;
/** A deadline for a loaded machine, not a speed test. */
const WAIT = { timeout: 20_000 };

/** Feed the policy one sandbox using `cpus` CPUs for each of `seconds` one-second samples. */
function feed(policy: CpuPriorityPolicy, state: { usage: number; at: number }, cpus: number[]) {
  const turns: { busy: string[]; calm: string[] }[] = [];
  for (const c of cpus) {
    state.usage += c * SECOND_NS;
    state.at += 1000;
    turns.push(policy.observe(new Map([['a', state.usage]]), state.at));
  }
  return turns;
}

describe('which sandboxes count as busy', () => {
  it('turns busy once its average over the window reaches the line, not on one burst', () => {
    const policy = new CpuPriorityPolicy(DEFAULT_CPU_PRIORITY);
    const state = { usage: 0, at: 0 };
    policy.observe(new Map([['a', 0]]), 0);
    // A check or a typed command: a second at full CPU, then quiet.
    feed(policy, state, [1, 0, 0, 0, 0, 0]);
    expect(policy.isBusy('a')).toBe(false);
    // The window then holds 0, 0, 1, 1: an average of 0.5 CPU, the line.
    const turns = feed(policy, state, [1, 1, 1, 1]);
    expect(turns.findIndex((turn) => turn.busy.includes('a'))).toBe(1);
    expect(policy.isBusy('a')).toBe(true);
  });

  it('stays busy between the two lines and turns calm under the lower one', () => {
    const policy = new CpuPriorityPolicy(DEFAULT_CPU_PRIORITY);
    const state = { usage: 0, at: 0 };
    policy.observe(new Map([['a', 0]]), 0);
    feed(policy, state, [1, 1, 1, 1]);
    feed(policy, state, [0.3, 0.3, 0.3, 0.3]);
    expect(policy.isBusy('a')).toBe(true);
    // 0.3, 0.3, 0.3, 0.05 averages 0.24, not under 0.2; 0.3, 0.3, 0.05, 0.05 (0.175) is.
    const turns = feed(policy, state, [0.05, 0.05, 0.05, 0.05]);
    expect(turns.findIndex((turn) => turn.calm.includes('a'))).toBe(1);
    expect(policy.isBusy('a')).toBe(false);
  });

  it('forgets a sandbox that is gone, and starts a new one calm', () => {
    const policy = new CpuPriorityPolicy(DEFAULT_CPU_PRIORITY);
    const state = { usage: 0, at: 0 };
    policy.observe(new Map([['a', 0]]), 0);
    feed(policy, state, [1, 1, 1, 1]);
    policy.observe(new Map(), 5000);
    expect(policy.isBusy('a')).toBe(false);
    policy.observe(new Map([['a', 99 * SECOND_NS]]), 6000);
    expect(policy.isBusy('a')).toBe(false);
  });
});

describe('weights and counters', () => {
  it('lowers the weight sixteenfold in both cgroup versions', () => {
    expect(weights(1, 1024)).toEqual({ normal: 1024, busy: 64 });
    expect(weights(2, 1024)).toEqual({ normal: 39, busy: 2 });
  });

  it('reads CPU time from cpuacct.usage and cpu.stat, and nothing from garbage', () => {
    expect(parseUsageNs(1, '123456789\n')).toBe(123456789);
    expect(parseUsageNs(2, 'usage_usec 1500\nuser_usec 1000\n')).toBe(1_500_000);
    expect(parseUsageNs(1, '')).toBeUndefined();
    expect(parseUsageNs(2, 'nr_periods 3\n')).toBeUndefined();
  });

  it('is off unless HANDSON_SANDBOX_BUSY_CPUS names a line', () => {
    expect(cpuPriorityOptions({})).toBeUndefined();
    expect(cpuPriorityOptions({ HANDSON_SANDBOX_BUSY_CPUS: '0.5' })).toMatchObject({
      busyCpus: 0.5,
      calmCpus: 0.2,
    });
    expect(cpuPriorityOptions({ HANDSON_SANDBOX_BUSY_CPUS: '0.8' })?.calmCpus).toBeCloseTo(0.32);
    expect(cpuPriorityOptions({ HANDSON_SANDBOX_BUSY_CPUS: '0' })).toBeUndefined();
    expect(() => cpuPriorityOptions({ HANDSON_SANDBOX_BUSY_CPUS: 'lots' })).toThrow(
      /HANDSON_SANDBOX_BUSY_CPUS=lots is not a positive number/,
    );
  });
});

describe('keeping a cgroup tree fair (a v1 tree in a temporary folder)', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
  });

  function tree(ids: string[]) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'handson-cgroup-'));
    roots.push(root);
    for (const id of ids) {
      fs.mkdirSync(path.join(root, 'cpuacct', 'handson', id), { recursive: true });
      fs.mkdirSync(path.join(root, 'cpu', 'handson', id), { recursive: true });
      fs.writeFileSync(path.join(root, 'cpuacct', 'handson', id, 'cpuacct.usage'), '0');
      fs.writeFileSync(path.join(root, 'cpu', 'handson', id, 'cpu.shares'), '1024');
    }
    return {
      root,
      shares: (id: string) =>
        fs.readFileSync(path.join(root, 'cpu', 'handson', id, 'cpu.shares'), 'utf8'),
      use: (id: string, ns: number) =>
        fs.writeFileSync(path.join(root, 'cpuacct', 'handson', id, 'cpuacct.usage'), String(ns)),
    };
  }

  it('lowers the busy sandbox only, restores it when calm, and on stop', async () => {
    const busy = 'b'.repeat(64);
    const quiet = 'q'.repeat(64);
    const t = tree([busy, quiet]);
    const stop = new AbortController();
    const running = keepCpuFair(
      'handson',
      1024,
      stop.signal,
      {
        ...DEFAULT_CPU_PRIORITY,
        intervalMs: 5,
      },
      t.root,
    );
    // A thousand CPU-seconds per sample: busy whatever the real time between samples.
    let usage = 0;
    const burnSome = () => {
      usage += 1000 * SECOND_NS;
      t.use(busy, usage);
    };
    const burn = setInterval(burnSome, 2);
    await expect.poll(() => t.shares(busy), WAIT).toBe('64');
    expect(t.shares(quiet)).toBe('1024');
    clearInterval(burn);
    await expect.poll(() => t.shares(busy), WAIT).toBe('1024');

    const again = setInterval(burnSome, 2);
    await expect.poll(() => t.shares(busy), WAIT).toBe('64');
    clearInterval(again);
    stop.abort();
    await running;
    expect(t.shares(busy)).toBe('1024');
  });
});
