import { describe, expect, it } from 'vitest';
import {
  checkCapabilities,
  checkCgroups,
  checkDisk,
  checkDiskPool,
  checkLoopDevices,
  checkTools,
  checkUserLimits,
} from '../../../sandbox-server/src/doctor/checks-host.ts';
import { healthyProbes } from './fake-probes.ts';

describe('host checks', () => {
  it('propose docker.io only when no dockerd is installed at all', () => {
    const noDockerd = checkTools(
      healthyProbes({ which: (p) => (p === 'dockerd' ? undefined : `/usr/bin/${p}`) }),
    );
    expect(noDockerd.packages).toEqual(['docker.io']);
    const onlyRegistryMissing = checkTools(
      healthyProbes({ which: (p) => (p === 'docker-registry' ? undefined : `/usr/bin/${p}`) }),
    );
    expect(onlyRegistryMissing.packages).toEqual(['docker-registry']);
    expect(onlyRegistryMissing.hint).toBe('apt-get install -y docker-registry');
  });

  it('name the cgroup controllers sandboxes need but the host lacks', () => {
    const result = checkCgroups(
      healthyProbes({
        cgroup: () => ({ version: 2, controllers: ['cpu', 'cpuset', 'io'], memoryCap: undefined }),
      }),
    );
    expect(result.ok).toBe(false);
    expect(result.detail).toContain('cgroup v2 lacks the memory, pids controller(s)');
  });

  it('fail until the sandboxes have a memory cap, which starting the engine sets', () => {
    const result = checkCgroups(
      healthyProbes({
        cgroup: () => ({
          version: 1,
          controllers: ['memory', 'pids', 'cpu', 'cpuset'],
          memoryCap: undefined,
        }),
      }),
    );
    expect(result).toMatchObject({ ok: false, fix: 'start-engine' });
  });

  it('name the capabilities sandboxes need that the host cannot grant', () => {
    const withoutSysAdmin = 0x1ffffffffffn & ~(1n << 21n);
    const result = checkCapabilities(
      healthyProbes({ capabilityBoundingSet: () => withoutSysAdmin }),
    );
    expect(result.ok).toBe(false);
    expect(result.detail).toBe('the bounding set lacks CAP_SYS_ADMIN, which sandboxes need');
    expect(checkCapabilities(healthyProbes()).ok).toBe(true);
  });

  it('want /dev/loop-control for per-sandbox disks', () => {
    expect(checkLoopDevices(healthyProbes({ exists: () => false })).ok).toBe(false);
    expect(checkLoopDevices(healthyProbes()).ok).toBe(true);
  });

  it('raise the per-user inotify and key limits that every remapped sandbox shares', () => {
    const result = checkUserLimits(
      healthyProbes({ sysctl: (n) => (n.endsWith('instances') ? 128 : 5000000) }),
    );
    expect(result).toMatchObject({ ok: false, fix: 'raise-user-limits' });
    expect(result.hint).toBe('sysctl -w fs.inotify.max_user_instances=65536');
    const keys = checkUserLimits(
      healthyProbes({ sysctl: (n) => (n === 'kernel.keys.maxkeys' ? 200 : 5000000) }),
    );
    expect(keys.hint).toBe('sysctl -w kernel.keys.maxkeys=20000');
  });

  it('ask for free disk under HANDSON_HOME', () => {
    const result = checkDisk(healthyProbes({ freeBytes: () => 1024 ** 3 }), '/var/lib/handson');
    expect(result.ok).toBe(false);
    expect(result.detail).toBe('1.0 GiB free on /var/lib/handson (need at least 5.0 GiB)');
  });

  it('report the headroom learners can still fill in the disk pool before new sandboxes are refused', () => {
    const result = checkDiskPool(healthyProbes(), 5 * 1024 ** 3);
    expect(result).toMatchObject({ ok: true, name: 'sandbox disk pool' });
    expect(result.detail).toBe(
      '30.0 GiB free of 40.0 GiB at /var/lib/handson/disk-pool; new sandboxes start until 5.0 GiB is left (headroom 25.0 GiB)',
    );
  });

  it('say when the pool is under the watermark, so no new sandbox starts', () => {
    const pool = { mountPoint: '/p', sizeBytes: 40 * 1024 ** 3, freeBytes: 2 * 1024 ** 3 };
    const result = checkDiskPool(healthyProbes({ diskPool: () => pool }), 5 * 1024 ** 3);
    expect(result).toMatchObject({ ok: false });
    expect(result.detail).toContain('under the 5.0 GiB watermark: no new sandbox starts');
    expect(result.hint).toMatch(/HANDSON_DISK_WATERMARK/);
  });

  it('ask setup to make and mount a missing pool', () => {
    const result = checkDiskPool(healthyProbes({ diskPool: () => undefined }), 5 * 1024 ** 3);
    expect(result).toMatchObject({ ok: false, fix: 'mount-disk-pool' });
  });
});
