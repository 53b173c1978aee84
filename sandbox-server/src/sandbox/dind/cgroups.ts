import { existsSync } from 'node:fs';
import { chown, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RemappedRoot } from './remap.ts';

/**
 * Host-side cgroup delegation. A sandbox's inner dockerd must create child cgroups for the
 * learner's containers, so after the sandbox starts the host chowns the sandbox's own cgroup
 * directories (and only those, never the shared parent) to the remapped root. The sandbox
 * entrypoint waits for that before it mounts them.
 */

export type CgroupVersion = 1 | 2;

/** cgroup v2 ("unified") when the root has cgroup.controllers, else v1. */
export function cgroupVersion(root = '/sys/fs/cgroup'): CgroupVersion {
  return existsSync(path.join(root, 'cgroup.controllers')) ? 2 : 1;
}

interface CgroupMount {
  mountPoint: string;
  root: string;
  fsType: string;
  options: string[];
}

/** cgroup and cgroup2 mounts of this process, from /proc/self/mountinfo. */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const fields = left.split(' ');
    const [fsType, , superOptions] = right.split(' ');
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') continue;
    mounts.push({
      mountPoint: fields[4]!,
      root: fields[3]!,
      fsType,
      options: (superOptions ?? '').split(','),
    });
  }
  return mounts;
}

/**
 * The host directories of a process's cgroups: each /proc/<pid>/cgroup line mapped through the
 * host mount of its hierarchy (whose root may itself be a sub-path).
 *
 * @example
 * cgroupDirs('4:memory:/handson/abc', mountinfo) // ['/sys/fs/cgroup/memory/handson/abc']
 */
export function cgroupDirs(procCgroup: string, mountinfo: string): string[] {
  const mounts = parseCgroupMounts(mountinfo);
  const dirs: string[] = [];
  for (const line of procCgroup.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, controllers, cgPath] = match as unknown as [string, string, string];
    const wanted = controllers === '' ? [] : controllers.split(',');
    const mount = mounts.find((m) =>
      wanted.length === 0
        ? m.fsType === 'cgroup2'
        : m.fsType === 'cgroup' && wanted.every((c) => m.options.includes(c)),
    );
    if (!mount) continue;
    const rel = path.posix.relative(mount.root, cgPath);
    // A path outside the mount's root cannot be reached from here (and ".." must never be chowned).
    if (rel.startsWith('..') || rel === '') continue;
    dirs.push(path.join(mount.mountPoint, rel));
  }
  return [...new Set(dirs)];
}

/**
 * What the sandbox may write in its own cgroup directory, as systemd delegates a subtree: the
 * directory itself (to create child cgroups for its containers, whose files it then owns) and
 * the files that move processes or enable controllers for those children. Never the limit files
 * (pids.max, memory.limit_in_bytes, cpu.*): they stay host root's, or a learner could lift their
 * own sandbox's limits and starve the others.
 */
export const DELEGATED_FILES = [
  'cgroup.procs',
  'tasks',
  'cgroup.subtree_control',
  'cgroup.threads',
];

/**
 * Chown the cgroup directories of a sandbox's init process (pid on the host) and the files in
 * them to the remapped root. Returns the directories delegated.
 *
 * @example
 * await delegateCgroups(info.State.Pid, info.Id, { uid: 100000, gid: 100000 });
 */
export async function delegateCgroups(
  pid: number,
  containerId: string,
  owner: RemappedRoot,
): Promise<string[]> {
  if (!Number.isInteger(pid) || pid <= 0)
    throw new Error(`cannot delegate cgroups: bad pid ${pid}`);
  if (containerId.length < 12)
    throw new Error(`cannot delegate cgroups: bad container id "${containerId}"`);
  const [procCgroup, mountinfo] = await Promise.all([
    readFile(`/proc/${pid}/cgroup`, 'utf8'),
    readFile('/proc/self/mountinfo', 'utf8'),
  ]);
  // Only the container's own directories (named by its id), never a shared parent.
  const dirs = cgroupDirs(procCgroup, mountinfo).filter(
    (d) => path.basename(d).includes(containerId) && existsSync(d),
  );
  for (const dir of dirs) {
    await chown(dir, owner.uid, owner.gid);
    for (const file of DELEGATED_FILES) {
      await chown(path.join(dir, file), owner.uid, owner.gid).catch(
        (err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        },
      );
    }
  }
  return dirs;
}
