import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { daemonJson, dockerdArgs } from '../../../sandbox-server/src/engine/daemon.ts';
import { runsWithFlagsOf } from '../../../sandbox-server/src/engine/engine.ts';

const cfg = loadConfig({});

describe('the sandbox engine command line', () => {
  it("keeps it apart from a user's Docker: own socket, data, exec root, pidfile, bridge and config", () => {
    const args = dockerdArgs(cfg).join(' ');
    expect(args).toContain('--config-file /var/lib/handson/daemon.json');
    expect(args).toContain('-H unix:///run/handson/docker.sock');
    expect(args).toContain('--data-root /var/lib/handson/engine');
    expect(args).toContain('--exec-root /run/handson/engine-exec');
    expect(args).toContain('--pidfile /run/handson/dockerd.pid');
    expect(args).toContain('--bridge handson0');
    expect(args).toContain('--containerd-namespace handson');
    expect(args).not.toContain('/var/run/docker.sock');
  });

  it('is safe for learners: remapped users, no iptables management, a cgroup parent', () => {
    const args = dockerdArgs(cfg);
    expect(args).toEqual(
      expect.arrayContaining(['--userns-remap=default', '--iptables=false', '--ip-masq=false']),
    );
    expect(args.join(' ')).toContain('--cgroup-parent /handson');
  });

  it('trusts the plain-HTTP local registry on the gateway', () => {
    expect(daemonJson(cfg)['insecure-registries']).toContain('10.77.0.1:5480');
  });
});

describe('an engine that already runs', () => {
  it('is kept when it runs with exactly these flags, restarted when an upgrade changed them', () => {
    const current = `/usr/sbin/dockerd ${dockerdArgs(cfg).join(' ')}`;
    expect(runsWithFlagsOf(current, cfg)).toBe(true);
    const older = current.replace('--cgroup-parent /handson', '--cgroup-parent handson');
    expect(older).not.toBe(current);
    expect(runsWithFlagsOf(older, cfg)).toBe(false);
  });
});
