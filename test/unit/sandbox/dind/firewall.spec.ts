import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../sandbox-server/src/config.ts';
import {
  firewallRules,
  firewallRules6,
  restoreScript,
} from '../../../../sandbox-server/src/sandbox/dind/firewall.ts';

describe('sandbox firewall rules', () => {
  const rules = firewallRules(loadConfig({ HANDSON_GATEWAY: '10.9.0.1/16' }));

  it('lets sandboxes reach only the registry and the package repository on the gateway', () => {
    const accepts = rules.input.filter((r) => r.at(-1) === 'ACCEPT' && r.includes('--dport'));
    expect(accepts).toEqual([
      ['-p', 'tcp', '-d', '10.9.0.1', '--dport', '5480', '-j', 'ACCEPT'],
      ['-p', 'tcp', '-d', '10.9.0.1', '--dport', '5481', '-j', 'ACCEPT'],
    ]);
  });

  it('rejects everything else at once instead of dropping it', () => {
    for (const chain of [rules.input, rules.forward]) {
      expect(chain.at(-2)).toEqual(['-p', 'tcp', '-j', 'REJECT', '--reject-with', 'tcp-reset']);
      expect(chain.at(-1)).toEqual(['-j', 'REJECT', '--reject-with', 'icmp-port-unreachable']);
    }
    expect(rules.forward.some((r) => r.includes('ACCEPT'))).toBe(false);
  });

  it('lets no IPv6 through at all, either way', () => {
    const v6 = firewallRules6();
    for (const chain of [v6.input, v6.forward]) {
      expect(chain.some((r) => r.includes('ACCEPT'))).toBe(false);
      expect(chain.at(-1)).toEqual(['-j', 'REJECT', '--reject-with', 'icmp6-port-unreachable']);
    }
  });

  it('replaces both chains in one restore transaction, in rule order', () => {
    const script = restoreScript(rules).split('\n');
    expect(script.slice(0, 3)).toEqual(['*filter', ':HANDSON-IN - [0:0]', ':HANDSON-FWD - [0:0]']);
    expect(script.slice(-2)).toEqual(['COMMIT', '']);
    const input = script.filter((line) => line.startsWith('-A HANDSON-IN '));
    expect(input).toEqual(rules.input.map((rule) => ['-A', 'HANDSON-IN', ...rule].join(' ')));
    expect(input.at(-1)).toBe('-A HANDSON-IN -j REJECT --reject-with icmp-port-unreachable');
  });
});
