import { statfsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { HandsonConfig } from '../../config.ts';
import { size } from './limits.ts';
import { run } from './run.ts';

/**
 * The disk pool: one filesystem of a fixed size (HANDSON_DISK_POOL) that holds every sandbox
 * disk. Sandbox disks stay sparse inside it, so a 4 GiB quota is a ceiling, not space taken;
 * the pool itself is allocated in full on the host when it is made, so however much learners
 * write, the host filesystem that holds the registry and the database keeps what the pool left
 * it. The pool is an ext4 image file (HANDSON_HOME/disk-pool.ext4) loop-mounted at
 * HANDSON_HOME/disk-pool; `handson setup` and the dind driver make and mount it idempotently.
 */

export interface DiskPoolPaths {
  /** The pool's image file on the host filesystem. */
  file: string;
  /** Where it is mounted; sandbox disks live in `disks/` under it. */
  mountPoint: string;
  /** Held (flock) while the pool is made or mounted, so two processes never mount it twice. */
  lock: string;
}

export function diskPoolPaths(cfg: HandsonConfig): DiskPoolPaths {
  return {
    file: path.join(cfg.home, 'disk-pool.ext4'),
    mountPoint: path.join(cfg.home, 'disk-pool'),
    lock: path.join(cfg.home, 'disk-pool.lock'),
  };
}

/** What the host filesystem keeps free beside a new pool: room for the registry and database. */
export const HOST_RESERVE = 5 * 1024 ** 3;

/** The pool's configured size (HANDSON_DISK_POOL), or undefined for the default. */
export function configuredPoolSize(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.HANDSON_DISK_POOL;
  return raw ? size('HANDSON_DISK_POOL', raw, 0) : undefined;
}

/**
 * The size of a new pool: the configured one, else half of what the host filesystem has free;
 * either way the host keeps at least `hostReserve` free beside it.
 *
 * @example
 * poolSizeFor(undefined, 80 * 2 ** 30, 5 * 2 ** 30) // 40 GiB
 * poolSizeFor(100 * 2 ** 30, 80 * 2 ** 30, 5 * 2 ** 30) // throws: does not fit
 */
export function poolSizeFor(
  configured: number | undefined,
  hostFree: number,
  hostReserve: number,
): number {
  const fits = hostFree - hostReserve;
  const wanted = configured ?? Math.floor(hostFree / 2 / 1024 ** 3) * 1024 ** 3;
  if (wanted > fits || wanted < 1024 ** 3) {
    throw new Error(
      `The sandbox disk pool cannot be made: it would take ${gib(wanted)} of the ${gib(hostFree)} ` +
        `free on the host, which keeps at least ${gib(hostReserve)} for the registry and the database. ` +
        'Set HANDSON_DISK_POOL to a size that fits (e.g. 20G), or free space there.',
    );
  }
  return wanted;
}

/** True when the pool's filesystem is mounted (its mount point is on another device). */
export function diskPoolMounted(cfg: HandsonConfig): boolean {
  const { mountPoint } = diskPoolPaths(cfg);
  try {
    return statSync(mountPoint).dev !== statSync(path.dirname(mountPoint)).dev;
  } catch {
    return false;
  }
}

export interface DiskPoolStatus {
  mountPoint: string;
  sizeBytes: number;
  freeBytes: number;
}

/** Size and free space of the mounted pool, or undefined when it is not mounted. */
export function diskPoolStatus(cfg: HandsonConfig): DiskPoolStatus | undefined {
  if (!diskPoolMounted(cfg)) return undefined;
  const { mountPoint } = diskPoolPaths(cfg);
  const s = statfsSync(mountPoint);
  return { mountPoint, sizeBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
}

/**
 * Make the pool if it does not exist and mount it if it is not mounted (root only; idempotent
 * and safe to run from several processes at once).
 *
 * @example
 * await ensureDiskPool(cfg); // { mountPoint, sizeBytes, freeBytes }
 */
export async function ensureDiskPool(
  cfg: HandsonConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DiskPoolStatus> {
  const mounted = diskPoolStatus(cfg);
  if (mounted) return mounted;
  const paths = diskPoolPaths(cfg);
  await mkdir(paths.mountPoint, { recursive: true });
  const free = statfsSync(cfg.home);
  const bytes = poolSizeFor(configuredPoolSize(env), free.bavail * free.bsize, HOST_RESERVE);
  // Checked again under the lock: another process may have made or mounted it meanwhile.
  // fallocate takes the whole size from the host now (a sparse pool could still fill it);
  // `-m 0`: root's reserve would only hide space from the sandboxes' remapped root.
  const script = `
    mountpoint -q "$MNT" && exit 0
    if [ ! -e "$FILE" ]; then
      rm -f "$FILE.new"
      fallocate -l "$BYTES" "$FILE.new"
      mkfs.ext4 -q -F -m 0 -E nodiscard "$FILE.new"
      mv "$FILE.new" "$FILE"
    fi
    mount -o loop,nodev,nosuid,noexec "$FILE" "$MNT"`;
  await runLocked(paths.lock, script, {
    MNT: paths.mountPoint,
    FILE: paths.file,
    BYTES: String(bytes),
  });
  const status = diskPoolStatus(cfg);
  if (!status)
    throw new Error(`The sandbox disk pool ${paths.file} did not mount at ${paths.mountPoint}.`);
  return status;
}

async function runLocked(lock: string, script: string, env: Record<string, string>) {
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  // A fresh pool of tens of GiB is formatted in seconds; the timeout is for a stuck mount.
  await run('env', [...vars, 'flock', '-w', '120', lock, 'sh', '-eu', '-c', script], 180_000);
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
