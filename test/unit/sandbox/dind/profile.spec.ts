import { describe, expect, it } from 'vitest';
import {
  cpuLimit,
  sandboxContainerOptions,
} from '../../../../sandbox-server/src/sandbox/dind/profile.ts';

const options = sandboxContainerOptions({
  name: 'handson-sb-x',
  image: 'handson/sandbox:latest',
  hostDir: '/run/handson/sandboxes/x',
  diskMount: '/var/lib/handson/disks/x',
  limits: { memoryBytes: 1, pids: 1, cpuShares: 1, diskBytes: 1 },
  labels: {},
  env: {},
});

describe('the sandbox profile', () => {
  it("mounts the sandbox's own resolv.conf and hosts read-only over the image's", () => {
    expect(options.HostConfig?.Binds).toContain(
      '/run/handson/sandboxes/x/resolv.conf:/etc/resolv.conf:ro',
    );
    expect(options.HostConfig?.Binds).toContain('/run/handson/sandboxes/x/hosts:/etc/hosts:ro');
  });

  it('tells the engine to set up no network of its own (the driver plugs the sandbox in)', () => {
    expect(options.NetworkDisabled).toBe(true);
    expect(options.HostConfig?.NetworkMode).toBe('none');
  });

  it('is never privileged and adds only the capabilities the design names', () => {
    expect(options.HostConfig?.Privileged).toBe(false);
    expect(options.HostConfig?.CapAdd).toEqual(['SYS_ADMIN', 'NET_ADMIN']);
    expect((options.HostConfig as { CgroupnsMode?: string }).CgroupnsMode).toBe('private');
    expect(options.HostConfig?.ReadonlyRootfs).toBe(true);
  });

  it("limits CPU with a quota over the configured period, else with Docker's --cpus", () => {
    const limited = (cpuPeriodUs?: number) =>
      sandboxContainerOptions({
        name: 'handson-sb-y',
        image: 'handson/sandbox:latest',
        hostDir: '/run/handson/sandboxes/y',
        diskMount: '/var/lib/handson/disks/y',
        limits: { memoryBytes: 1, pids: 1, cpuShares: 1024, cpus: 1, diskBytes: 1, cpuPeriodUs },
        labels: {},
        env: {},
      }).HostConfig;
    expect(limited(10_000)).toMatchObject({ CpuPeriod: 10_000, CpuQuota: 10_000 });
    // The engine refuses a period together with NanoCpus.
    expect(limited(10_000)?.NanoCpus).toBeUndefined();
    expect(limited()?.NanoCpus).toBe(1e9);
    expect(limited()?.CpuPeriod).toBeUndefined();
    expect(options.HostConfig?.NanoCpus).toBeUndefined(); // no cpus: no quota
  });

  it("keeps the share of CPUs asked for, and never a quota under the engine's 1 ms minimum", () => {
    expect(cpuLimit({ cpus: 1.5, cpuPeriodUs: 10_000 })).toEqual({
      CpuPeriod: 10_000,
      CpuQuota: 15_000,
    });
    expect(cpuLimit({ cpus: 0.01, cpuPeriodUs: 10_000 })).toEqual({
      CpuPeriod: 10_000,
      CpuQuota: 1_000,
    });
  });
});
