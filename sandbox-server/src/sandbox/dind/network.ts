import { closeSync, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { runWithInput } from './run.ts';
import { openSandboxNetns, type SandboxInit } from './sandbox-netns.ts';

/**
 * One bridge network per sandbox on the sandbox engine, so sandboxes never share an L2 segment:
 * traffic between two sandboxes must be routed by the host, where the project's firewall
 * (firewall.ts) rejects it, with or without br_netfilter.
 */

/** Linux bridge names of sandbox networks start with this (the firewall matches `hs-+`). */
export const BRIDGE_PREFIX = 'hs-';

export function networkName(id: string): string {
  return `handson-sb-${id}`;
}

export function bridgeName(id: string): string {
  // Interface names are at most 15 characters.
  return `${BRIDGE_PREFIX}${id}`.slice(0, 15);
}

/**
 * The `index`-th /28 of a /16 pool such as `10.78.0.0/16`: 4096 sandboxes, 11 usable
 * addresses each (the sandbox needs one). Engine default pools hold only ~30 networks.
 *
 * @example
 * subnetAt('10.78.0.0/16', 17) // { subnet: '10.78.1.16/28', gateway: '10.78.1.17' }
 */
export function subnetAt(pool: string, index: number): { subnet: string; gateway: string } {
  const [a, b] = pool.split('/')[0]!.split('.').map(Number) as [number, number];
  const offset = index * 16;
  const c = Math.floor(offset / 256);
  const d = offset % 256;
  if (c > 255) throw new Error(`the sandbox address pool ${pool} is full (${index} networks)`);
  return { subnet: `${a}.${b}.${c}.${d}/28`, gateway: `${a}.${b}.${c}.${d + 1}` };
}

/** A sandbox's network: its /28, the bridge's address (the gateway) and the sandbox's own. */
export interface SandboxNetwork {
  subnet: string;
  gateway: string;
  address: string;
}

/**
 * The addresses of a sandbox network whose gateway is `gateway`: the sandbox takes the next one.
 *
 * @example
 * sandboxNetworkOf('10.78.1.16/28', '10.78.1.17') // { …, address: '10.78.1.18' }
 */
export function sandboxNetworkOf(subnet: string, gateway: string): SandboxNetwork {
  const parts = gateway.split('.').map(Number);
  parts[3]! += 1;
  return { subnet, gateway, address: parts.join('.') };
}

/** The host end of a sandbox's veth pair (the sandbox's end is its eth0). */
export function vethName(id: string): string {
  return `hsv-${id}`.slice(0, 15);
}

/**
 * Create the sandbox's network on the first free /28 of the pool. Two creates racing for the
 * same subnet are resolved by the engine (overlap error), and the loser tries the next one.
 * The engine keeps the subnet and the bridge; the sandbox is plugged in by `plugSandbox`.
 */
export async function createSandboxNetwork(
  docker: Docker,
  id: string,
  pool: string,
  labels: Record<string, string>,
): Promise<SandboxNetwork> {
  const used = new Set<string>();
  for (const net of await docker.listNetworks()) {
    for (const cfg of net.IPAM?.Config ?? []) if (cfg.Subnet) used.add(cfg.Subnet);
  }
  let lastError: unknown;
  for (let index = 0, tries = 0; tries < 20; index++) {
    const { subnet, gateway } = subnetAt(pool, index);
    if (used.has(subnet)) continue;
    tries++;
    try {
      await docker.createNetwork({
        Name: networkName(id),
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: labels,
        IPAM: { Driver: 'default', Config: [{ Subnet: subnet, Gateway: gateway }] },
        Options: {
          'com.docker.network.bridge.name': bridgeName(id),
          // No NAT and no inter-container traffic: the sandbox reaches only what the firewall allows.
          'com.docker.network.bridge.enable_ip_masquerade': 'false',
          'com.docker.network.bridge.enable_icc': 'false',
        },
      });
      return sandboxNetworkOf(subnet, gateway);
    } catch (err) {
      lastError = err;
      if (!/overlap|already exists|in use/i.test(String(err))) throw err;
      used.add(subnet);
    }
  }
  throw new Error(`could not create a network for sandbox ${id}: ${String(lastError)}`);
}

/** Remove the sandbox's network; idempotent. */
export async function removeSandboxNetwork(docker: Docker, id: string): Promise<void> {
  await docker
    .getNetwork(networkName(id))
    .remove()
    .catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err;
    });
}

/** The network of sandbox `id`, from the engine's record of it. */
export async function sandboxNetwork(docker: Docker, id: string): Promise<SandboxNetwork> {
  const info = await docker.getNetwork(networkName(id)).inspect();
  const config = info.IPAM?.Config?.[0];
  if (!config?.Subnet || !config.Gateway) throw new Error(`sandbox ${id} has no network`);
  return sandboxNetworkOf(config.Subnet, config.Gateway);
}

/**
 * The host takes no IPv6 address on a sandbox's bridge and drops IPv6 arriving there, so a
 * learner has no host address on their link to talk to (the firewall rejects IPv6 as well).
 */
async function disableHostIpv6(bridge: string): Promise<void> {
  const knob = `/proc/sys/net/ipv6/conf/${bridge}/disable_ipv6`;
  if (existsSync(knob)) await writeFile(knob, '1');
}

/**
 * Plug a started sandbox into its bridge. The sandbox runs with the engine's networking
 * disabled: an engine-managed endpoint cost ~350 ms of every start (libnetwork's sandbox and
 * its prestart hook, a second dockerd process). Instead a veth pair is made here, its far end
 * moved into the sandbox's network namespace as eth0 with the sandbox's address and a default
 * route through the bridge, so traffic flows exactly as through an engine endpoint (and meets
 * the same firewall rules, which match the bridge).
 */
export async function plugSandbox(
  init: SandboxInit,
  id: string,
  net: SandboxNetwork,
): Promise<void> {
  const prefix = net.subnet.split('/')[1];
  await disableHostIpv6(bridgeName(id));
  const netns = openSandboxNetns(init);
  try {
    await runWithInput(
      'ip',
      ['-batch', '-'],
      [
        `link add ${vethName(id)} type veth peer name eth0 netns /proc/self/fd/3`,
        `link set ${vethName(id)} master ${bridgeName(id)}`,
        `link set ${vethName(id)} up`,
        '',
      ].join('\n'),
      netns,
    );
    await runWithInput(
      'nsenter',
      ['--net=/proc/self/fd/3', 'ip', '-batch', '-'],
      [
        'link set lo up',
        `addr add ${net.address}/${prefix} dev eth0`,
        'link set eth0 up',
        `route add default via ${net.gateway}`,
        '',
      ].join('\n'),
      netns,
    );
  } finally {
    closeSync(netns);
  }
}
