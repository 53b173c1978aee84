import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../sandbox-server/src/config.ts';
import { firewallRules } from '../../../../sandbox-server/src/sandbox/dind/firewall.ts';
import { sandboxContainerOptions } from '../../../../sandbox-server/src/sandbox/dind/profile.ts';
import { resolvConf } from '../../../../sandbox-server/src/sandbox/dind/resolv-conf.ts';

describe('sandbox resolv.conf', () => {
  const cfg = loadConfig({ HANDSON_GATEWAY: '10.9.0.1/16' });

  it('names only the gateway, with one short try, so lookups fail at once', () => {
    expect(resolvConf(cfg)).toBe('nameserver 10.9.0.1\noptions ndots:0 timeout:1 attempts:1\n');
  });

  it('points at an address and port the firewall refuses (no DNS is let through)', () => {
    const rules = firewallRules(cfg);
    expect(rules.input.some((r) => r.includes('53'))).toBe(false);
    expect(rules.input.at(-1)).toEqual(['-j', 'REJECT', '--reject-with', 'icmp-port-unreachable']);
  });

  it("is mounted read-only over the sandbox image's /etc/resolv.conf", () => {
    const options = sandboxContainerOptions({
      name: 'handson-sb-x',
      image: 'handson/sandbox:latest',
      hostDir: '/run/handson/sandboxes/x',
      diskMount: '/var/lib/handson/disks/x',
      limits: { memoryBytes: 1, pids: 1, cpuShares: 1, diskBytes: 1 },
      labels: {},
      env: {},
    });
    expect(options.HostConfig?.Binds).toContain(
      '/run/handson/sandboxes/x/resolv.conf:/etc/resolv.conf:ro',
    );
  });
});
