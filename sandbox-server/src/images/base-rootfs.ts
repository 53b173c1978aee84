import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { HandsonConfig } from '../config.ts';
import type { StepIo } from './engine.ts';
import { combineHashes } from './hash.ts';
import { debianMirror } from './host-mirror.ts';
import { removeTree } from './remove-tree.ts';
import { runCommand } from './run-command.ts';

export const SUITE = 'bookworm';

export interface BaseRootfs {
  /** The unpacked Debian root filesystem (never modified after it is made). */
  dir: string;
  /** Content key: suite, variant and mirror. */
  key: string;
  cached: boolean;
}

/** Where the pipeline keeps what it made on the host (debootstrap trees, staging folders). */
export function imagesCacheDir(cfg: HandsonConfig): string {
  return path.join(cfg.home, 'cache', 'images');
}

/**
 * A minimal Debian bookworm tree from the host's mirror (`debootstrap --variant=minbase`),
 * made once and kept: the debian image is imported from it and the package repository
 * resolves dependencies against its dpkg status. It is built beside its final place and
 * renamed at the end, so a killed run leaves no half tree behind.
 *
 * @example
 * const base = await ensureBaseRootfs(loadConfig());
 * base.dir // '/var/lib/handson/cache/images/debootstrap-bookworm-1a2b3c4d5e6f'
 */
export async function ensureBaseRootfs(cfg: HandsonConfig, io: StepIo = {}): Promise<BaseRootfs> {
  const mirror = debianMirror();
  const key = combineHashes({ suite: SUITE, variant: 'minbase', mirror });
  const cache = imagesCacheDir(cfg);
  const name = `debootstrap-${SUITE}-${key.slice(7, 19)}`;
  const dir = path.join(cache, name);
  if (existsSync(path.join(dir, 'var/lib/dpkg/status'))) return { dir, key, cached: true };

  await mkdir(cache, { recursive: true });
  await removeLeftovers(cache, `${name}.tmp-`);
  const tmp = path.join(cache, `${name}.tmp-${process.pid}`);
  await runCommand('debootstrap', ['--variant=minbase', SUITE, tmp, mirror], {
    signal: io.signal,
    onLine: io.onLine,
  });
  // What debootstrap downloaded is not part of an image; apt lists are fetched fresh in a container.
  await emptyDir(path.join(tmp, 'var/cache/apt/archives'), (f) => f.endsWith('.deb'));
  await emptyDir(path.join(tmp, 'var/lib/apt/lists'), (f) => f !== 'partial' && f !== 'lock');
  if (existsSync(dir)) await removeTree(dir);
  await rename(tmp, dir);
  return { dir, key, cached: false };
}

async function emptyDir(dir: string, select: (name: string) => boolean): Promise<void> {
  const names = existsSync(dir) ? await readdir(dir) : [];
  await Promise.all(
    names.filter(select).map((f) => rm(path.join(dir, f), { recursive: true, force: true })),
  );
}

/** Temporary trees of runs that were killed. */
async function removeLeftovers(dir: string, prefix: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.startsWith(prefix)) await removeTree(path.join(dir, name));
  }
}
