import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

/** The CPU the cluster's replicas spend, from /proc/<pid>/stat (their own processes' time). */

/** Clock ticks per second of /proc's times: USER_HZ, 100 on every Linux build this runs on. */
const TICKS_PER_SECOND = 100;

/**
 * The user + system CPU ticks in one /proc/<pid>/stat line. The command name (field 2) is in
 * parentheses and may hold spaces or parentheses itself, so fields are counted after its last `)`.
 *
 * @example
 * cpuTicksOfStat('42 (node) S 1 42 42 0 -1 4194560 10 0 0 0 700 50 0 0') // 750
 */
export function cpuTicksOfStat(stat: string): number {
  const rest = stat
    .slice(stat.lastIndexOf(')') + 1)
    .trim()
    .split(/\s+/);
  // After the name: state is field 3, so utime (field 14) and stime (field 15) are at 11 and 12.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`not a /proc/<pid>/stat line: ${JSON.stringify(stat.slice(0, 80))}`);
  }
  return utime + stime;
}

/** The CPU ticks `pids` have used so far; a process that is gone counts what it had last. */
async function ticksOf(pids: readonly number[], last: Map<number, number>): Promise<number> {
  let sum = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat !== undefined) last.set(pid, cpuTicksOfStat(stat));
    sum += last.get(pid) ?? 0;
  }
  return sum;
}

/**
 * The CPU `pids` use from now until `percent()`, as a share of one core (200% = both cores of
 * this machine busy with them).
 *
 * @example
 * const cpu = await processCpuSince([replicaA, replicaB]);
 * await measure();
 * console.log(await cpu.percent()); // 85
 */
export async function processCpuSince(pids: readonly number[]): Promise<{
  percent(): Promise<number>;
}> {
  const last = new Map<number, number>();
  const before = await ticksOf(pids, last);
  const started = performance.now();
  return {
    percent: async () => {
      const used = (await ticksOf(pids, last)) - before;
      const seconds = (performance.now() - started) / 1000;
      return Math.round((100 * used) / TICKS_PER_SECOND / seconds);
    },
  };
}
