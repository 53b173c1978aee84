import { describe, expect, it } from 'vitest';
import { sandboxContainerOptions } from '../../../../sandbox-server/src/sandbox/dind/profile.ts';

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
});
