import { describe, expect, it } from 'vitest';
import { cpusOf, keyed } from '../../../../sandbox-server/src/sandbox/dind/limit-counters.ts';

describe('limit counter files', () => {
  it('read a keyed number (cgroup v1 memory.oom_control, pids.events, cpu.stat)', () => {
    const oom = 'oom_kill_disable 0\nunder_oom 0\noom_kill 3\n';
    expect(keyed(oom, 'oom_kill')).toBe(3);
    expect(keyed('max 12\n', 'max')).toBe(12);
    expect(keyed('nr_periods 40\nnr_throttled 7\n', 'nr_throttled')).toBe(7);
    expect(keyed('', 'oom_kill')).toBe(0);
  });

  it('read CPUs from a v1 quota and period or a v2 cpu.max', () => {
    expect(cpusOf('150000\n', '100000\n')).toBe(1.5);
    expect(cpusOf('100000 100000\n', '')).toBe(1);
    expect(cpusOf('-1\n', '100000\n')).toBe(Number.POSITIVE_INFINITY);
    expect(cpusOf('max 100000\n', '')).toBe(Number.POSITIVE_INFINITY);
  });
});
