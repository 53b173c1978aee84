import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import {
  FORWARD_CHAIN,
  firewallRules,
  INPUT_CHAIN,
  installFirewall,
} from '../../../sandbox-server/src/sandbox/dind/firewall.ts';
import { run } from '../../../sandbox-server/src/sandbox/dind/run.ts';

/** The chain's rules as `iptables -S` prints them, without the `-N` line. */
async function chainRules(chain: string): Promise<string[]> {
  const out = await run('iptables', ['-w', '-S', chain]);
  return out.split('\n').filter((line) => line.startsWith('-A '));
}

describe('installing the sandbox firewall', () => {
  it('from many processes at once leaves each chain exactly its rules, in order', async () => {
    // Every server, verify and test that starts a driver installs the chains; a class's
    // replicas start together. Rule-by-rule refills interleaved: REJECTs ahead of ACCEPTs.
    const cfg = loadConfig();
    await Promise.all(Array.from({ length: 8 }, () => installFirewall(cfg)));
    const input = await chainRules(INPUT_CHAIN);
    const forward = await chainRules(FORWARD_CHAIN);
    const rules = firewallRules(cfg);
    expect(input).toHaveLength(rules.input.length);
    expect(forward).toHaveLength(rules.forward.length);
    // The registry and package repository ACCEPTs come before the REJECTs.
    const firstReject = input.findIndex((line) => line.includes('REJECT'));
    expect(input.slice(0, firstReject).filter((line) => line.includes('--dport'))).toHaveLength(2);
    expect(input.slice(firstReject).every((line) => line.includes('REJECT'))).toBe(true);
  });
});
