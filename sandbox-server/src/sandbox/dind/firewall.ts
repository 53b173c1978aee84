import { existsSync } from 'node:fs';
import type { HandsonConfig } from '../../config.ts';
import { gatewayAddress } from '../../config.ts';
import { BRIDGE_PREFIX } from './network.ts';
import { run, runWithInput, succeeds } from './run.ts';

/**
 * The host firewall rules the project owns (the sandbox engine runs with --iptables=false, so it
 * installs none). Sandboxes may reach exactly two services on the host: the registry and the
 * package repository on the sandbox bridge's gateway address. Everything else from a sandbox
 * bridge - another sandbox, other host services, the outside world - is REJECTed at once
 * (tcp-reset / icmp-port-unreachable), so tools fail fast instead of hanging.
 *
 * IPv6 gets no exception at all: a learner has CAP_NET_ADMIN in their sandbox and could reach the
 * host's link-local address on their bridge (any host service listening on `::`, e.g. a Node
 * server started without a host) or route to its global ones. The same chains in ip6tables
 * reject every IPv6 packet from and to a sandbox bridge.
 */

export const INPUT_CHAIN = 'HANDSON-IN';
export const FORWARD_CHAIN = 'HANDSON-FWD';

/** The rules of both chains, as iptables argument lists (exported for the unit spec). */
export function firewallRules(cfg: HandsonConfig): { input: string[][]; forward: string[][] } {
  const gateway = gatewayAddress(cfg);
  const allow = (port: number) => [
    '-p',
    'tcp',
    '-d',
    gateway,
    '--dport',
    String(port),
    '-j',
    'ACCEPT',
  ];
  const reject = [
    ['-p', 'tcp', '-j', 'REJECT', '--reject-with', 'tcp-reset'],
    ['-j', 'REJECT', '--reject-with', 'icmp-port-unreachable'],
  ];
  return {
    input: [
      // Replies to anything the host itself opened towards a sandbox.
      ['-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'],
      allow(cfg.registry.port),
      allow(cfg.packages.port),
      ...reject,
    ],
    forward: reject,
  };
}

/** IPv6: nothing at all, either way (the registry and repository are IPv4 only). */
export function firewallRules6(): { input: string[][]; forward: string[][] } {
  const reject = [
    ['-p', 'tcp', '-j', 'REJECT', '--reject-with', 'tcp-reset'],
    ['-j', 'REJECT', '--reject-with', 'icmp6-port-unreachable'],
  ];
  return { input: reject, forward: reject };
}

/**
 * Install (or refresh) the chains and the jumps to them, in iptables and ip6tables.
 * Idempotent: the chains are replaced whole, jumps are added only when missing, at the top so
 * no other ACCEPT shadows them.
 *
 * @example
 * await installFirewall(loadConfig());
 */
export async function installFirewall(cfg: HandsonConfig): Promise<void> {
  await installChains('iptables', firewallRules(cfg));
  // A kernel without IPv6 has nothing to block (and no ip6tables tables to fill).
  if (existsSync(IPV6_PRESENT)) await installChains('ip6tables', firewallRules6());
}

const IPV6_PRESENT = '/proc/net/if_inet6';

type Tables = 'iptables' | 'ip6tables';

/**
 * The chains as one `iptables-restore --noflush` transaction: a chain it names is created or
 * emptied and refilled at once, other chains are left alone. Flushing and appending rule by
 * rule let every server, verify and test process that starts a driver refill the chains at the
 * same time: their rules interleaved (REJECTs ahead of the ACCEPTs: no sandbox could pull), and
 * a flushed chain let every packet through until refilled.
 *
 * @example
 * restoreScript(firewallRules(cfg)) // '*filter\n:HANDSON-IN - [0:0]\n…\nCOMMIT\n'
 */
export function restoreScript(rules: { input: string[][]; forward: string[][] }): string {
  const lines = ['*filter', `:${INPUT_CHAIN} - [0:0]`, `:${FORWARD_CHAIN} - [0:0]`];
  for (const rule of rules.input) lines.push(['-A', INPUT_CHAIN, ...rule].join(' '));
  for (const rule of rules.forward) lines.push(['-A', FORWARD_CHAIN, ...rule].join(' '));
  lines.push('COMMIT', '');
  return lines.join('\n');
}

async function installChains(
  tables: Tables,
  rules: { input: string[][]; forward: string[][] },
): Promise<void> {
  await runWithInput(`${tables}-restore`, ['-w', '--noflush'], restoreScript(rules));
  for (const [chain, rule] of jumps()) {
    if (!(await succeeds(tables, ['-w', '-C', chain, ...rule]))) {
      await run(tables, ['-w', '-I', chain, '1', ...rule]);
    }
  }
}

function jumps(): [string, string[]][] {
  const iface = `${BRIDGE_PREFIX}+`;
  return [
    ['INPUT', ['-i', iface, '-j', INPUT_CHAIN]],
    ['FORWARD', ['-i', iface, '-j', FORWARD_CHAIN]],
    ['FORWARD', ['-o', iface, '-j', FORWARD_CHAIN]],
  ];
}

/** True when the jumps into the project's chains are in place, IPv4 and IPv6 (for doctor and tests). */
export async function firewallInstalled(): Promise<boolean> {
  const all = existsSync(IPV6_PRESENT)
    ? (['iptables', 'ip6tables'] as const)
    : (['iptables'] as const);
  for (const tables of all) {
    for (const [chain, rule] of jumps()) {
      if (!(await succeeds(tables, ['-w', '-C', chain, ...rule]))) return false;
    }
  }
  return true;
}
