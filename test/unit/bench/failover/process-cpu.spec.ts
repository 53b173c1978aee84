import { describe, expect, it } from 'vitest';
import {
  cpuTicksOfStat,
  processCpuSince,
} from '../../../../sandbox-server/src/bench/failover/process-cpu.ts';

describe("a process's CPU from /proc/<pid>/stat", () => {
  it('adds user and system time', () => {
    expect(cpuTicksOfStat('42 (node) S 1 42 42 0 -1 4194560 10 0 0 0 700 50 0 0 20 0')).toBe(750);
  });

  it('counts fields after the last parenthesis, so a name with spaces or ) does not shift them', () => {
    expect(cpuTicksOfStat('7 (my (odd) name) R 1 7 7 0 -1 4194560 10 0 0 0 12 3 0 0 20 0')).toBe(
      15,
    );
  });

  it('refuses a line that is not a stat line', () => {
    expect(() => cpuTicksOfStat('not a stat line')).toThrow(/not a \/proc/);
  });

  it("sees this process's own CPU once it has worked", async () => {
    const cpu = await processCpuSince([process.pid]);
    // Busy until the kernel has counted well over one tick (10 ms) of this process's time.
    const start = process.cpuUsage();
    let spins = 0;
    while (process.cpuUsage(start).user < 80_000) spins++;
    expect(spins).toBeGreaterThan(0);
    expect(await cpu.percent()).toBeGreaterThan(0);
  });
});
