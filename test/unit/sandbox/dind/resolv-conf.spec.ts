import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../sandbox-server/src/config.ts';
import { firewallRules } from '../../../../sandbox-server/src/sandbox/dind/firewall.ts';
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
});
