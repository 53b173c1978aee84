import type { HandsonConfig } from '../../config.ts';
import { diskPoolPaths, diskPoolStatus } from './disk-pool.ts';
import { size } from './limits.ts';

/**
 * Sandbox disks are sparse: a 4 GiB quota is a ceiling, not space taken, so a pool seats far
 * more learners than their quotas add up to. The price is that learners who fill theirs fill
 * the pool. So no new sandbox starts while the pool has less free than the watermark
 * (HANDSON_DISK_WATERMARK, default 5 GiB): the learners already working keep room to grow.
 */
export const DEFAULT_DISK_WATERMARK = 5 * 1024 ** 3;

/** The watermark from the environment (bytes, or with K/M/G). */
export function diskWatermark(env: NodeJS.ProcessEnv = process.env): number {
  return size('HANDSON_DISK_WATERMARK', env.HANDSON_DISK_WATERMARK, DEFAULT_DISK_WATERMARK);
}

/** Thrown when the disk pool is under the watermark (or missing): no new sandbox for now. */
export class DiskPoolLow extends Error {
  readonly code = 'disk_pool_low';
}

/**
 * Why no new sandbox disk may be made now, or undefined when one may. Synchronous (one statfs)
 * so a request can be refused before anything starts.
 *
 * @example
 * diskShortfall(cfg, 5 * 2 ** 30) // undefined, or 'No new sandbox can start now: …'
 */
export function diskShortfall(cfg: HandsonConfig, watermark: number): string | undefined {
  const pool = diskPoolStatus(cfg);
  if (!pool) {
    // Disks made without the pool would land on the host filesystem itself.
    return (
      `No new sandbox can start: the sandbox disk pool (${diskPoolPaths(cfg).file}) is not mounted. ` +
      'An operator can mount it with `npx handson setup`.'
    );
  }
  if (pool.freeBytes >= watermark) return undefined;
  return (
    `No new sandbox can start now: the disk pool that holds the sandboxes has ${gib(pool.freeBytes)} free ` +
    `of ${gib(pool.sizeBytes)}, under the ${gib(watermark)} kept for the learners already working. ` +
    'Try again once some have left; an operator can lower HANDSON_DISK_WATERMARK or make a larger pool (HANDSON_DISK_POOL).'
  );
}

/**
 * Refuse a new sandbox disk when the pool is missing or below `watermark`.
 *
 * @example
 * ensureDiskHeadroom(cfg, 5 * 2 ** 30); // throws DiskPoolLow when short
 */
export function ensureDiskHeadroom(cfg: HandsonConfig, watermark: number): void {
  const why = diskShortfall(cfg, watermark);
  if (why) throw new DiskPoolLow(why);
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
