import { open, readFile, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { LimitCounters } from '../driver.ts';
import { plannedCgroupDirs } from './cgroups.ts';

/**
 * A dind sandbox's limit counters, read on the host: the cgroup files of the sandbox container
 * (cgroup v1 or v2) and a statfs of its quota disk. Never anything the learner writes.
 */

/** Each file is a few lines; a read never takes more than this. */
const MAX_READ_BYTES = 4096;

/** The cgroup files read, by what they say; the first name that exists is used (v1, then v2). */
const FILES = {
  oom: ['memory.oom_control', 'memory.events'],
  memoryLimit: ['memory.limit_in_bytes', 'memory.max'],
  pidsEvents: ['pids.events'],
  pidsMax: ['pids.max'],
  cpuStat: ['cpu.stat'],
  cpuQuota: ['cpu.cfs_quota_us', 'cpu.max'],
  cpuPeriod: ['cpu.cfs_period_us'],
} as const;
type FileKey = keyof typeof FILES;

/** A small kernel file, read bounded. */
export async function readSmall(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(MAX_READ_BYTES);
    const { bytesRead } = await handle.read(buf, 0, MAX_READ_BYTES, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * The number after `key` in a flat keyed file (`oom_kill 3`, `max 12`, `nr_throttled 40`).
 *
 * @example
 * keyed('oom_kill_disable 0\nunder_oom 0\noom_kill 3\n', 'oom_kill') // 3
 */
export function keyed(text: string, key: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${key} `));
  const n = Number(line?.slice(key.length + 1).trim());
  return Number.isFinite(n) ? n : 0;
}

/**
 * CPUs from a quota and period (v1: two files; v2 `cpu.max`: "quota period" or "max period").
 *
 * @example
 * cpusOf('100000 100000', '') // 1
 * cpusOf('150000', '100000') // 1.5
 */
export function cpusOf(quota: string, period: string): number {
  const [q, p] = quota.trim().split(/\s+/);
  const periodUs = Number(p ?? period.trim());
  const quotaUs = Number(q);
  if (q === 'max' || !(quotaUs > 0) || !(periodUs > 0)) return Number.POSITIVE_INFINITY;
  return quotaUs / periodUs;
}

/** A limit file's value as bytes or a count; "max" (no limit) as infinity. */
function limitOf(text: string): number {
  const n = Number(text.trim());
  return text.trim() === 'max' || !Number.isFinite(n) ? Number.POSITIVE_INFINITY : n;
}

/**
 * Reads one sandbox's counters; which file of which hierarchy holds what is found on the first
 * read and kept.
 *
 * @example
 * const reader = new LimitReader(containerIdFile, diskMount, 'handson');
 * await reader.read() // { oomKills: 0, pidsMaxHits: 2, … }
 */
export class LimitReader {
  private files: Partial<Record<FileKey, string>> | undefined;

  constructor(
    /** A file holding the sandbox container's id (the driver writes it before the start). */
    private readonly containerIdFile: string,
    private readonly diskMount: string,
    private readonly cgroupParent: string,
  ) {}

  async read(): Promise<LimitCounters | undefined> {
    const files = await this.resolve();
    if (!files) return undefined;
    const get = (key: FileKey) => (files[key] ? readSmall(files[key]).catch(() => '') : '');
    const [oom, memoryLimit, pidsEvents, pidsMax, cpuStat, cpuQuota, cpuPeriod, disk] =
      await Promise.all([
        get('oom'),
        get('memoryLimit'),
        get('pidsEvents'),
        get('pidsMax'),
        get('cpuStat'),
        get('cpuQuota'),
        get('cpuPeriod'),
        statfs(this.diskMount).catch(() => undefined),
      ]);
    return {
      oomKills: keyed(oom, 'oom_kill'),
      memoryLimitBytes: limitOf(memoryLimit),
      pidsMaxHits: keyed(pidsEvents, 'max'),
      pidsMax: limitOf(pidsMax),
      cpuPeriods: keyed(cpuStat, 'nr_periods'),
      cpuThrottled: keyed(cpuStat, 'nr_throttled'),
      cpus: cpusOf(cpuQuota, cpuPeriod),
      diskFreeBytes: disk ? disk.bavail * disk.bsize : Number.POSITIVE_INFINITY,
      diskSizeBytes: disk ? disk.blocks * disk.bsize : 0,
    };
  }

  private async resolve(): Promise<Partial<Record<FileKey, string>> | undefined> {
    if (this.files) return this.files;
    const id = (await readSmall(this.containerIdFile).catch(() => '')).trim();
    if (!/^[0-9a-f]{64}$/.test(id)) return undefined;
    const dirs = plannedCgroupDirs(
      id,
      this.cgroupParent,
      await readFile('/proc/self/mountinfo', 'utf8'),
    );
    const files: Partial<Record<FileKey, string>> = {};
    for (const [key, names] of Object.entries(FILES) as [FileKey, readonly string[]][]) {
      for (const name of names) {
        const found = await firstReadable(dirs.map((dir) => path.join(dir, name)));
        if (found) {
          files[key] = found;
          break;
        }
      }
    }
    this.files = files;
    return files;
  }
}

async function firstReadable(candidates: string[]): Promise<string | undefined> {
  for (const file of candidates) {
    if (
      await readSmall(file).then(
        () => true,
        () => false,
      )
    )
      return file;
  }
  return undefined;
}
