import { mkdir, statfs } from 'node:fs/promises';
import { size } from './limits.ts';

/**
 * Sandbox disks are sparse: a 4 GiB quota is a ceiling, not space taken, so a host seats
 * hundreds of learners on a disk far smaller than their quotas add up to. The price is that
 * learners who fill theirs fill the filesystem under them, which also holds the registry and the
 * database. So no new sandbox starts while that filesystem has less free than the watermark
 * (HANDSON_DISK_WATERMARK, default 5 GiB): the ones running keep their room to grow, and the
 * registry and database keep theirs.
 */
export const DEFAULT_DISK_WATERMARK = 5 * 1024 ** 3;

/** The watermark from the environment (bytes, or with K/M/G). */
export function diskWatermark(env: NodeJS.ProcessEnv = process.env): number {
  return size('HANDSON_DISK_WATERMARK', env.HANDSON_DISK_WATERMARK, DEFAULT_DISK_WATERMARK);
}

/** Thrown when the disks' filesystem is under the watermark: no new sandbox for now. */
export class DiskPoolLow extends Error {
  readonly code = 'disk_pool_low';
}

/** Free bytes (for an unprivileged user too) on the filesystem that holds `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/**
 * Refuse a new sandbox disk when the filesystem under `dir` is below `watermark`.
 *
 * @example
 * await ensureDiskHeadroom('/var/lib/handson/disks', 5 * 2 ** 30); // throws DiskPoolLow when short
 */
export async function ensureDiskHeadroom(dir: string, watermark: number): Promise<void> {
  const free = await freeBytes(dir);
  if (free >= watermark) return;
  throw new DiskPoolLow(
    `No new sandbox can start: the disk that holds the sandboxes (${dir}) has ${gib(free)} free, ` +
      `under the ${gib(watermark)} kept for the running ones, the registry and the database. ` +
      'Try again once learners have left; an operator can free space there or lower HANDSON_DISK_WATERMARK.',
  );
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
