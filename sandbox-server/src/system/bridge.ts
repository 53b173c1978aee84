import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { gatewayAddress, type HandsonConfig } from '../config.ts';

const run = promisify(execFile);

/**
 * The sandbox engine's own bridge (`handson0`). dockerd with `--bridge` expects it to exist and
 * takes its gateway from it; the registry and package repository listen on that gateway.
 */
export function bridgeExists(cfg: HandsonConfig): boolean {
  return fs.existsSync(`/sys/class/net/${cfg.engine.bridge}`);
}

/**
 * Whether the bridge carries the configured gateway address. Asked of iproute2 (its JSON
 * output), because Node's networkInterfaces() omits a bridge with no ports (NO-CARRIER).
 */
export async function bridgeHasGateway(cfg: HandsonConfig): Promise<boolean> {
  try {
    const { stdout } = await run('ip', ['-j', 'addr', 'show', 'dev', cfg.engine.bridge]);
    const links = JSON.parse(stdout) as { addr_info?: { local?: string }[] }[];
    return links.some((l) => (l.addr_info ?? []).some((a) => a.local === gatewayAddress(cfg)));
  } catch {
    return false;
  }
}

/**
 * Create the bridge with its gateway address and bring it up; a no-op when it is already so.
 * Needs root (CAP_NET_ADMIN).
 *
 * @example
 * await ensureBridge(loadConfig()); // handson0 with 10.77.0.1/16, up
 */
export async function ensureBridge(cfg: HandsonConfig): Promise<void> {
  const dev = cfg.engine.bridge;
  try {
    if (!bridgeExists(cfg)) await run('ip', ['link', 'add', dev, 'type', 'bridge']);
    if (!(await bridgeHasGateway(cfg))) {
      await run('ip', ['addr', 'add', cfg.engine.gatewayCidr, 'dev', dev]);
    }
    await run('ip', ['link', 'set', dev, 'up']);
  } catch (error) {
    const detail = error instanceof Error ? error.message.trim() : String(error);
    throw new Error(
      `Could not set up the sandbox bridge ${dev} with ${cfg.engine.gatewayCidr}: ${detail}. ` +
        'Run as root, or set HANDSON_BRIDGE / HANDSON_GATEWAY to a free name and subnet.',
    );
  }
}
