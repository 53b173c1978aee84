import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HandsonConfig } from '../config.ts';
import { imagesCacheDir } from './base-rootfs.ts';
import { removeTree } from './remove-tree.ts';
import { runCommand } from './run-command.ts';

/**
 * Root filesystems that are imported rather than built: the Debian tree with the project's
 * apt source, and a busybox-static tree. Each is assembled in a staging folder that the
 * caller imports and then removes.
 */

/**
 * Versions of the assembly code below: they are part of the images' content keys, so a change
 * here (not only in a recipe folder) rebuilds the image. Bump one when its function changes.
 */
export const LAYOUT_VERSION = { debian: '1', busybox: '2' } as const;

/** A fresh, empty staging folder under the images cache. */
export async function stagingDir(cfg: HandsonConfig, name: string): Promise<string> {
  const parent = path.join(imagesCacheDir(cfg), 'staging');
  await mkdir(parent, { recursive: true });
  return mkdtemp(path.join(parent, `${name}-`));
}

/**
 * Copies the debootstrap tree and lays the recipe's files over it, then points apt at the
 * local repository only (the image must never need a public mirror).
 *
 * @example
 * await assembleDebian(base.dir, 'sandbox-server/images/debian/rootfs', staging, 'deb [trusted=yes] http://10.77.0.1:5481/debian ./');
 */
export async function assembleDebian(
  baseDir: string,
  overlayDir: string,
  target: string,
  sourcesLine: string,
): Promise<void> {
  await runCommand('cp', ['-a', `${baseDir}/.`, target]);
  await runCommand('cp', ['-a', `${overlayDir}/.`, target]);
  await runCommand('rm', ['-rf', path.join(target, 'etc/apt/sources.list.d')]);
  await mkdir(path.join(target, 'etc/apt/sources.list.d'));
  await writeFile(path.join(target, 'etc/apt/sources.list'), `${sourcesLine}\n`);
}

/** Folders a busybox system expects; git cannot hold empty ones, so they are made here. */
const BUSYBOX_DIRS = [
  'bin',
  'sbin',
  'usr/bin',
  'usr/sbin',
  'etc',
  'root',
  'home',
  'var',
  'proc',
  'sys',
  'dev',
  'tmp',
];

/**
 * A busybox system: the static binary from the busybox-static package, one symlink per
 * applet (as the busybox image on Docker Hub has), and the recipe's /etc files.
 *
 * @example
 * await assembleBusybox('/var/lib/handson/packages/debian/busybox-static_….deb', 'sandbox-server/images/busybox/rootfs', staging);
 */
export async function assembleBusybox(
  deb: string,
  overlayDir: string,
  target: string,
): Promise<void> {
  const unpacked = `${target}.deb`;
  await runCommand('dpkg-deb', ['-x', deb, unpacked]);
  try {
    for (const dir of BUSYBOX_DIRS) await mkdir(path.join(target, dir), { recursive: true });
    await chmod(path.join(target, 'tmp'), 0o1777);
    await chmod(path.join(target, 'root'), 0o700);
    await rename(path.join(unpacked, 'bin/busybox'), path.join(target, 'bin/busybox'));
    const applets = await runCommand(path.join(target, 'bin/busybox'), ['--list-full']);
    // linuxrc is busybox's initrd entry point: a container has no use for it.
    for (const applet of applets.split('\n').filter((a) => a && a !== 'linuxrc')) {
      const link = path.join(target, applet);
      if (existsSync(link)) continue;
      await mkdir(path.dirname(link), { recursive: true });
      await symlink(path.relative(path.dirname(link), path.join(target, 'bin/busybox')), link);
    }
    await runCommand('cp', ['-a', `${overlayDir}/.`, target]);
  } finally {
    await removeTree(unpacked);
  }
}

/**
 * Writes `dir` as an uncompressed tarball at `file` (atomically: a killed run leaves the old
 * file), for `curl … | docker import -`.
 */
export async function writeTarball(dir: string, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await runCommand('tar', ['--numeric-owner', '-C', dir, '-cf', tmp, '.']);
  await rename(tmp, file);
}
