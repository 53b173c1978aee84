import type { HandsonConfig } from '../../config.ts';
import { gatewayAddress } from '../../config.ts';
import { BRIDGE_PREFIX } from './network.ts';
import { run, succeeds } from './run.ts';

/**
 * The host firewall rules the project owns (the sandbox engine runs with --iptables=false, so it
 * installs none). Sandboxes may reach exactly two services on the host: the registry and the
 * package repository on the sandbox bridge's gateway address. Everything else from a sandbox
 * bridge - another sandbox, other host services, the outside world - is REJECTed at once
 * (tcp-reset / icmp-port-unreachable), so tools fail fast instead of hanging.
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

/**
 * Install (or refresh) the chains and the jumps to them. Idempotent: chains are flushed and
 * refilled, jumps are added only when missing, at the top so no other ACCEPT shadows them.
 *
 * @example
 * await installFirewall(loadConfig());
 */
export async function installFirewall(cfg: HandsonConfig): Promise<void> {
  const rules = firewallRules(cfg);
  const iface = `${BRIDGE_PREFIX}+`;
  for (const [chain, body] of [
    [INPUT_CHAIN, rules.input],
    [FORWARD_CHAIN, rules.forward],
  ] as const) {
    if (!(await succeeds('iptables', ['-w', '-n', '-L', chain])))
      await run('iptables', ['-w', '-N', chain]);
    await run('iptables', ['-w', '-F', chain]);
    for (const rule of body) await run('iptables', ['-w', '-A', chain, ...rule]);
  }
  const jumps: [string, string[]][] = [
    ['INPUT', ['-i', iface, '-j', INPUT_CHAIN]],
    ['FORWARD', ['-i', iface, '-j', FORWARD_CHAIN]],
    ['FORWARD', ['-o', iface, '-j', FORWARD_CHAIN]],
  ];
  for (const [chain, rule] of jumps) {
    if (!(await succeeds('iptables', ['-w', '-C', chain, ...rule]))) {
      await run('iptables', ['-w', '-I', chain, '1', ...rule]);
    }
  }
}

/** True when the jumps into the project's chains are in place (for doctor and tests). */
export async function firewallInstalled(): Promise<boolean> {
  const iface = `${BRIDGE_PREFIX}+`;
  return (
    (await succeeds('iptables', ['-w', '-C', 'INPUT', '-i', iface, '-j', INPUT_CHAIN])) &&
    (await succeeds('iptables', ['-w', '-C', 'FORWARD', '-i', iface, '-j', FORWARD_CHAIN]))
  );
}
