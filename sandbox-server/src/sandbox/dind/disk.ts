import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { HandsonConfig } from '../../config.ts';
import { formatDisk } from './disk-format.ts';
import { diskPoolPaths } from './disk-pool.ts';
import { refillSpareDisks, takeSpareDisk } from './disk-spares.ts';
import type { RemappedRoot } from './remap.ts';
import { run, succeeds } from './run.ts';

/**
 * The disk quota of a sandbox: a sparse file holding an ext4 filesystem, loop-mounted by the
 * host and bind-mounted as the sandbox's /var/lib/docker. A learner who fills it gets ENOSPC
 * inside their sandbox while the host's disk and other sandboxes keep working. The files live
 * in the disk pool (disk-pool.ts), so all of them together cannot fill the host either.
 */

/**
 * Directories on the disk that are mounted into the sandbox, so everything a learner can write
 * counts against the quota (the sandbox's root filesystem itself is read-only).
 */
export const DISK_MOUNTS = {
  docker: '/var/lib/docker',
  root: '/root',
  tmp: '/tmp',
  log: '/var/log',
  'etc-docker': '/etc/docker',
} as const;

export interface DiskPaths {
  /** The sparse image file (persistent state). */
  file: string;
  /** Where the host mounts it (runtime state). */
  mountPoint: string;
}

/** The folder of every sandbox's disk file (and the spares): inside the disk pool. */
export function disksDir(cfg: HandsonConfig): string {
  return path.join(diskPoolPaths(cfg).mountPoint, 'disks');
}

/** Where disks were kept before the pool (a server of that time may have left some). */
export function legacyDisksDir(cfg: HandsonConfig): string {
  return path.join(cfg.home, 'disks');
}

function legacyDiskFile(cfg: HandsonConfig, id: string): string {
  return path.join(legacyDisksDir(cfg), `${id}.ext4`);
}

export function diskPaths(cfg: HandsonConfig, id: string): DiskPaths {
  return {
    file: path.join(disksDir(cfg), `${id}.ext4`),
    mountPoint: path.join(cfg.runDir, 'disks', id),
  };
}

/**
 * Create (from a spare when there is one), format and mount a sandbox's disk, owned by the
 * remapped root.
 *
 * @example
 * const disk = await createDisk(cfg, 'a1b2c3d4', 4 * 2 ** 30, { uid: 100000, gid: 100000 });
 */
export async function createDisk(
  cfg: HandsonConfig,
  id: string,
  bytes: number,
  owner: RemappedRoot,
): Promise<DiskPaths> {
  const disk = diskPaths(cfg, id);
  await mkdir(path.dirname(disk.file), { recursive: true });
  // Only host root may enter where disks are mounted: a learner's setuid file (owned by the
  // remapped root) must not be something another host user can reach and run.
  await mkdir(path.dirname(disk.mountPoint), { recursive: true, mode: 0o700 });
  await chmod(path.dirname(disk.mountPoint), 0o700);
  await mkdir(disk.mountPoint, { recursive: true });
  if (!(await takeSpareDisk(path.dirname(disk.file), bytes, owner, disk.file))) {
    await formatDisk(disk.file, bytes, owner);
  }
  // The next sandbox's disk is made while this one boots; a failure there only costs it time.
  void refillSpareDisks(path.dirname(disk.file), bytes, owner).catch(() => undefined);
  // Without nosuid/nodev: the kernel locks a mount's flags inside the sandbox's user namespace,
  // and BuildKit's read-only bind mounts (which drop them) then fail with EPERM; setuid binaries
  // in learners' images work as on any Docker. The folder above is root-only instead, and a user
  // namespace cannot make device nodes.
  await run('mount', ['-o', 'loop', disk.file, disk.mountPoint]);
  await useDirectIo(disk.file);
  for (const dir of Object.keys(DISK_MOUNTS)) {
    const full = path.join(disk.mountPoint, dir);
    await mkdir(full);
    await chown(full, owner.uid, owner.gid);
    if (dir === 'tmp') await chmod(full, 0o1777);
  }
  return disk;
}

/**
 * Let the loop device write through to the disk file instead of through the host's page cache
 * as well: a buffered loop keeps every block a learner writes twice (the sandbox filesystem's
 * cache and the host's), and its worker copies them in kernel threads no sandbox limit counts,
 * so one learner filling their disk cost every other learner CPU. Best effort: where the
 * backing filesystem cannot do direct I/O the device stays buffered and works as before.
 */
async function useDirectIo(file: string): Promise<void> {
  for (const dev of await loopDevicesOf(file)) {
    await run('losetup', ['--direct-io=on', dev]).catch(() => undefined);
  }
}

/** Unmount, detach the loop device and delete the file. Idempotent. */
export async function destroyDisk(cfg: HandsonConfig, id: string): Promise<void> {
  const disk = diskPaths(cfg, id);
  if (await succeeds('mountpoint', ['-q', disk.mountPoint])) {
    // Lazy unmount: a sandbox being removed may still hold it for a moment.
    await run('umount', ['-l', disk.mountPoint]).catch(() => undefined);
  }
  for (const file of [disk.file, legacyDiskFile(cfg, id)]) {
    if (!existsSync(file)) continue;
    for (const dev of await loopDevicesOf(file)) {
      await run('losetup', ['-d', dev]).catch(() => undefined);
    }
    await rm(file, { force: true });
  }
  await rmdir(disk.mountPoint).catch(() => undefined);
}

/** Loop devices backed by `file` (normally none after unmount: mount -o loop sets autoclear). */
export async function loopDevicesOf(file: string): Promise<string[]> {
  const out = await run('losetup', ['-j', file]).catch(() => '');
  return out
    .split('\n')
    .map((line) => line.split(':')[0]!.trim())
    .filter((dev) => dev.startsWith('/dev/'));
}
