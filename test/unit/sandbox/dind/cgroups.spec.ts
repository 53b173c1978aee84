import { describe, expect, it } from 'vitest';
import {
  cgroupDirs,
  DELEGATED_FILES,
  parseCgroupMounts,
  plannedCgroupDirs,
} from '../../../../sandbox-server/src/sandbox/dind/cgroups.ts';

const MOUNTINFO = [
  '30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct',
  '34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd',
  '41 30 0:38 /nested /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
  '40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

describe('cgroup delegation paths', () => {
  it('finds cgroup v1 and v2 mounts with their roots', () => {
    const mounts = parseCgroupMounts(MOUNTINFO);
    expect(mounts.map((m) => m.mountPoint)).toEqual([
      '/sys/fs/cgroup/cpu,cpuacct',
      '/sys/fs/cgroup/memory',
      '/sys/fs/cgroup/systemd',
      '/sys/fs/cgroup/pids',
      '/sys/fs/cgroup/unified',
    ]);
    expect(mounts[3]!.root).toBe('/nested');
  });

  it('maps each hierarchy of a process to its host directory, comounted and named ones too', () => {
    const proc = [
      '9:name=systemd:/handson/abc',
      '4:memory:/process_api/x/handson/abc',
      '1:cpu,cpuacct:/handson/abc',
      '0::/handson/abc',
    ].join('\n');
    expect(cgroupDirs(proc, MOUNTINFO)).toEqual([
      '/sys/fs/cgroup/systemd/handson/abc',
      '/sys/fs/cgroup/memory/process_api/x/handson/abc',
      '/sys/fs/cgroup/cpu,cpuacct/handson/abc',
      '/sys/fs/cgroup/unified/handson/abc',
    ]);
  });

  it('strips a mount root and never yields a path outside it or the root itself', () => {
    expect(cgroupDirs('8:pids:/nested/handson/abc', MOUNTINFO)).toEqual([
      '/sys/fs/cgroup/pids/handson/abc',
    ]);
    expect(cgroupDirs('8:pids:/elsewhere/abc', MOUNTINFO)).toEqual([]);
    expect(cgroupDirs('4:memory:/', MOUNTINFO)).toEqual([]);
  });

  it('plans <parent>/<id> in every hierarchy, the unified one too, where the engine will put it', () => {
    const id = 'a'.repeat(64);
    expect(plannedCgroupDirs(id, 'handson', MOUNTINFO)).toEqual([
      `/sys/fs/cgroup/cpu,cpuacct/handson/${id}`,
      `/sys/fs/cgroup/memory/handson/${id}`,
      `/sys/fs/cgroup/systemd/handson/${id}`,
      `/sys/fs/cgroup/unified/handson/${id}`,
    ]);
    // A hierarchy mounted from elsewhere (/nested) cannot hold /handson/<id>: not planned.
    expect(plannedCgroupDirs(id, 'nested', MOUNTINFO)).toContain(`/sys/fs/cgroup/pids/${id}`);
  });

  it('hands over the files that move processes, never the limits', () => {
    expect(DELEGATED_FILES).toContain('cgroup.procs');
    for (const limit of [
      'pids.max',
      'memory.limit_in_bytes',
      'memory.max',
      'cpu.shares',
      'cpu.max',
    ]) {
      expect(DELEGATED_FILES).not.toContain(limit);
    }
  });
});
