import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { RemappedRoot } from './remap.ts';

/**
 * Host-side cgroup delegation. A sandbox's inner dockerd must create child cgroups for the
 * learner's containers, so before the sandbox starts the host makes the sandbox's own cgroup
 * directories (and only those, never the shared parent) and hands them to the remapped root.
 * The sandbox entrypoint waits for that before it mounts them.
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
 * The directories the engine will put a container in: with the cgroupfs driver and
 * `--cgroup-parent /<parent>`, `<parent>/<container id>` in every hierarchy (each v1 one, and
 * the unified tree where it is mounted, as runc joins it too).
 *
 * @example
 * plannedCgroupDirs('3fbb…', 'handson', mountinfo) // ['/sys/fs/cgroup/cpu/handson/3fbb…', …]
 */
export function plannedCgroupDirs(
  containerId: string,
  parent: string,
  mountinfo: string,
): string[] {
  const cgPath = path.posix.join('/', parent, containerId);
  const dirs: string[] = [];
  for (const mount of parseCgroupMounts(mountinfo)) {
    const rel = path.posix.relative(mount.root, cgPath);
    if (rel.startsWith('..') || rel === '') continue;
    dirs.push(path.join(mount.mountPoint, rel));
  }
  return [...new Set(dirs)];
}

async function chownDelegated(dir: string, owner: RemappedRoot): Promise<void> {
  await chown(dir, owner.uid, owner.gid);
  for (const file of DELEGATED_FILES) {
    await chown(path.join(dir, file), owner.uid, owner.gid).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
}

function checkId(containerId: string): void {
  if (!/^[0-9a-f]{64}$/.test(containerId)) {
    throw new Error(`cannot delegate cgroups: bad container id "${containerId}"`);
  }
}

/**
 * Make and hand over a created (not yet started) sandbox's cgroup directories, so its
 * entrypoint finds them owned the moment it runs (waiting for a hand-over after the start cost
 * every boot ~50 ms). runc joins the existing directories. Returns them for `confirmCgroups`.
 *
 * @example
 * const planned = await predelegateCgroups(container.id, 'handson', owner);
 */
export async function predelegateCgroups(
  containerId: string,
  parent: string,
  owner: RemappedRoot,
): Promise<string[]> {
  checkId(containerId);
  const dirs = plannedCgroupDirs(
    containerId,
    parent,
    await readFile('/proc/self/mountinfo', 'utf8'),
  );
  for (const dir of dirs) {
    await mkdir(dir, { recursive: true });
    await chownDelegated(dir, owner);
  }
  return dirs;
}

/**
 * After the start: the sandbox (host pid `pid`) must be in prepared directories only — else the
 * engine names cgroups differently than planned, and the sandbox would run without them.
 * Prepared directories the engine did not use are removed.
 */
export async function confirmCgroups(
  pid: number,
  containerId: string,
  planned: string[],
): Promise<void> {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`cannot check cgroups: bad pid ${pid}`);
  const [procCgroup, mountinfo] = await Promise.all([
    readFile(`/proc/${pid}/cgroup`, 'utf8'),
    readFile('/proc/self/mountinfo', 'utf8'),
  ]);
  const actual = cgroupDirs(procCgroup, mountinfo).filter((d) => path.basename(d) === containerId);
  const unplanned = actual.filter((d) => !planned.includes(d));
  if (unplanned.length > 0) {
    throw new Error(
      `the sandbox engine put the sandbox in cgroups that were not delegated (${unplanned.join(', ')}); ` +
        'does it run with the configured --cgroup-parent? `handson doctor` restarts it if not.',
    );
  }
  await removeDirs(planned.filter((d) => !actual.includes(d)));
}

/** Remove a destroyed sandbox's cgroup directories the engine left (or never used). */
export async function removeCgroupDirs(containerId: string, parent: string): Promise<void> {
  checkId(containerId);
  await removeDirs(
    plannedCgroupDirs(containerId, parent, await readFile('/proc/self/mountinfo', 'utf8')),
  );
}

async function removeDirs(dirs: string[]): Promise<void> {
  // rmdir on cgroupfs removes an empty cgroup; one still in use (EBUSY) or gone stays as it is.
  await Promise.all(dirs.map((dir) => rmdir(dir).catch(() => undefined)));
}
