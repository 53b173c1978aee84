import type { LimitCounters } from '../sandbox/driver.ts';

/**
 * Which of a sandbox's limits it hit between two readings of its counters (limit-counters.ts).
 * Memory and processes count each hit; the disk and the CPU are states, told once as they begin.
 */

export type LimitKind = 'memory' | 'pids' | 'disk' | 'cpu';

/** The disk is "full" under this much free (or 1% of it, if more): writes are about to fail. */
const DISK_FULL_BYTES = 32 * 1024 ** 2;
/** Periods a reading must span before the CPU share means anything. */
const MIN_CPU_PERIODS = 20;
/** Throttled in at least this share of the periods: the sandbox wants more than its CPUs. */
const CPU_BUSY_SHARE = 0.5;

export function diskFull(c: LimitCounters): boolean {
  return c.diskSizeBytes > 0 && c.diskFreeBytes < Math.max(DISK_FULL_BYTES, c.diskSizeBytes / 100);
}

export function cpuSaturated(prev: LimitCounters, next: LimitCounters): boolean {
  const periods = next.cpuPeriods - prev.cpuPeriods;
  const throttled = next.cpuThrottled - prev.cpuThrottled;
  return periods >= MIN_CPU_PERIODS && throttled / periods >= CPU_BUSY_SHARE;
}

/**
 * The limits hit between `prev` and `next`.
 *
 * @example
 * limitsHit({ ...c, oomKills: 0 }, { ...c, oomKills: 1 }) // ['memory']
 */
export function limitsHit(prev: LimitCounters, next: LimitCounters): LimitKind[] {
  const hit: LimitKind[] = [];
  if (next.oomKills > prev.oomKills) hit.push('memory');
  if (next.pidsMaxHits > prev.pidsMaxHits) hit.push('pids');
  if (diskFull(next) && !diskFull(prev)) hit.push('disk');
  if (cpuSaturated(prev, next)) hit.push('cpu');
  return hit;
}
