import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatDisk } from './disk-format.ts';
import type { RemappedRoot } from './remap.ts';

/**
 * Spare disks: formatted, unmounted disk files made ahead of need. A new sandbox takes one by
 * renaming it (atomic, so two servers never take the same one), which keeps formatting (~45 ms)
 * out of its start; a replacement is made in the background. Spares are named by size and
 * owner, so a different quota or remapping never gets a wrong one.
 */

/** How many spares of each kind to keep. */
const SPARES = 1;
/** A half-made spare older than this was left by a process that died while making it. */
const STALE_MAKING_MS = 10 * 60_000;

function kind(bytes: number, owner: RemappedRoot): string {
  return `spare-${bytes}-${owner.uid}-${owner.gid}-`;
}

/**
 * Move a spare disk of this size and owner to `target`. False when there is none.
 *
 * @example
 * if (!(await takeSpareDisk(dir, bytes, owner, file))) await formatDisk(file, bytes, owner);
 */
export async function takeSpareDisk(
  dir: string,
  bytes: number,
  owner: RemappedRoot,
  target: string,
): Promise<boolean> {
  const prefix = kind(bytes, owner);
  for (const name of await readdir(dir).catch(() => [])) {
    if (!name.startsWith(prefix)) continue;
    try {
      await rename(path.join(dir, name), target);
      return true;
    } catch (error) {
      // Taken by someone else between the listing and the rename.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return false;
}

const making = new Set<string>();

/**
 * Make spares until there are enough of this size and owner. Made under a hidden name and
 * renamed when complete, so a half-made spare is never taken.
 */
export async function refillSpareDisks(
  dir: string,
  bytes: number,
  owner: RemappedRoot,
): Promise<void> {
  const prefix = kind(bytes, owner);
  if (making.has(prefix)) return;
  making.add(prefix);
  try {
    const names = await readdir(dir).catch(() => [] as string[]);
    await removeStale(dir, names);
    for (let have = names.filter((n) => n.startsWith(prefix)).length; have < SPARES; have++) {
      const tag = randomBytes(4).toString('hex');
      const temp = path.join(dir, `.making-${tag}.ext4`);
      try {
        await formatDisk(temp, bytes, owner, { background: true });
        await rename(temp, path.join(dir, `${prefix}${tag}.ext4`));
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    }
  } finally {
    making.delete(prefix);
  }
}

async function removeStale(dir: string, names: string[]): Promise<void> {
  for (const name of names.filter((n) => n.startsWith('.making-'))) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > STALE_MAKING_MS) await rm(file, { force: true });
  }
}
