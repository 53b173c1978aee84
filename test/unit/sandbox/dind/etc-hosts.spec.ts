import { describe, expect, it } from 'vitest';
import { etcHosts } from '../../../../sandbox-server/src/sandbox/dind/etc-hosts.ts';
import { sandboxContainerOptions } from '../../../../sandbox-server/src/sandbox/dind/profile.ts';

describe('sandbox /etc/hosts', () => {
  it('resolves localhost, and the sandbox’s own name once it has an address', () => {
    expect(etcHosts('handson')).not.toContain('handson');
    const lines = etcHosts('handson', '10.78.0.2').trimEnd().split('\n');
    expect(lines).toContain('127.0.0.1\tlocalhost');
    expect(lines.some((l) => l.startsWith('::1\tlocalhost'))).toBe(true);
    expect(lines.at(-1)).toBe('10.78.0.2\thandson');
  });

  it('is mounted read-only, and the engine is told to set up no network of its own', () => {
    const options = sandboxContainerOptions({
      name: 'handson-sb-x',
      image: 'handson/sandbox:latest',
      hostDir: '/run/handson/sandboxes/x',
      diskMount: '/var/lib/handson/disks/x',
      limits: { memoryBytes: 1, pids: 1, cpuShares: 1, diskBytes: 1 },
      labels: {},
      env: {},
    });
    expect(options.HostConfig?.Binds).toContain('/run/handson/sandboxes/x/hosts:/etc/hosts:ro');
    expect(options.NetworkDisabled).toBe(true);
    expect(options.HostConfig?.NetworkMode).toBe('none');
  });
});
