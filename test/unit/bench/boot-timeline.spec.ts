import { describe, expect, it } from 'vitest';
import { innerBootStages } from '../../../sandbox-server/src/bench/boot-timeline.ts';

const line = (time: string, msg: string) => `time="${time}" level=info msg=${msg}`;

/** A dockerd log with an earlier boot that a lesson ended, then the boot that counts. */
const LOG = [
  line('2026-11-30T09:00:00.000000000Z', '"Starting up"'),
  line('2026-11-30T09:00:01.000000000Z', '"API listen on /handson/docker.sock"'),
  line('2026-11-30T10:00:00.200000000Z', '"Starting up"'),
  line('2026-11-30T10:00:00.250123456Z', '"containerd successfully booted in 0.031805s"'),
  'time="2026-11-30T10:00:00Z" level=warning msg="a containerd line without a fraction"',
  line('2026-11-30T10:00:00.300000000Z', '"Loading containers: start."'),
  line('2026-11-30T10:00:00.700000000Z', '"Loading containers: done."'),
  line('2026-11-30T10:00:00.750000000Z', '"API listen on /var/run/docker.sock"'),
  line('2026-11-30T10:00:00.760000000Z', '"API listen on /handson/docker.sock"'),
].join('\n');

describe('innerBootStages', () => {
  it('splits the last boot into stages that add up to start → API on the sandbox socket', () => {
    const startedAt = Date.parse('2026-11-30T10:00:00.000Z');
    const stages = innerBootStages(LOG, startedAt);
    expect(stages.map((s) => s.ms)).toEqual([200, 100, 400, 60]);
    expect(stages[2]!.stage).toMatch(/iptables/);
    expect(stages.reduce((sum, s) => sum + s.ms, 0)).toBe(760);
  });

  it('leaves out stages whose line is missing (an engine that never came up)', () => {
    const startedAt = Date.parse('2026-11-30T10:00:00.000Z');
    const partial = LOG.split('\n').slice(0, 4).join('\n');
    expect(innerBootStages(partial, startedAt).map((s) => s.ms)).toEqual([200]);
  });
});
