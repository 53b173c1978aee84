import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { HandsonConfig } from '../../config.ts';
import { destroyDisk, disksDir, legacyDisksDir } from './disk.ts';

/**
 * Stray disks: a sandbox's disk file whose container is gone (the server was killed between
 * making the disk and starting the container, or the container was removed behind its back),
 * and disks left in the folder used before the pool. Each holds its used blocks until removed,
 * in the pool or on the host filesystem the pool was made to protect.
 */

/** A disk younger than this may belong to a sandbox another server is creating right now. */
export const STRAY_GRACE_MS = 10 * 60_000;

const SANDBOX_DISK = /^([0-9a-f]{10})\.ext4$/;
const LEGACY_SPARE = /^spare-.*\.ext4$/;

/**
 * Remove stray disks: in the pool, files of sandboxes not in `live` and older than the grace
 * time; in the pre-pool folder, the same and every spare (nothing takes those any more), then
 * the folder itself once empty. Returns the ids (and spare names) removed.
 *
 * @example
 * const removed = await sweepStrayDisks(cfg, new Set((await driver.list()).map((s) => s.id)));
 */
export async function sweepStrayDisks(
  cfg: HandsonConfig,
  live: ReadonlySet<string>,
  now: number = Date.now(),
): Promise<string[]> {
  const removed: string[] = [];
  const legacy = legacyDisksDir(cfg);
  for (const dir of [disksDir(cfg), legacy]) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const file = path.join(dir, name);
      const id = SANDBOX_DISK.exec(name)?.[1];
      if (dir === legacy && LEGACY_SPARE.test(name)) {
        await rm(file, { force: true });
        removed.push(name);
        continue;
      }
      if (!id || live.has(id)) continue;
      const info = await stat(file).catch(() => undefined);
      // ctime too: a spare renamed into place just now keeps the mtime of when it was made.
      if (!info || now - Math.max(info.mtimeMs, info.ctimeMs) < STRAY_GRACE_MS) continue;
      await destroyDisk(cfg, id);
      removed.push(id);
    }
  }
  await rmdir(legacy).catch(() => undefined);
  return removed;
}
