import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HandsonConfig } from '../../config.ts';
import { gatewayAddress } from '../../config.ts';

/**
 * The sandbox's own /etc/resolv.conf. Sandboxes have no DNS: nothing outside is reachable, and
 * the registry and package repository are addressed by IP. Docker's embedded resolver
 * (127.0.0.11, the default on a user network) waits ~10 s per lookup when its upstream is
 * unreachable, and the inner dockerd looks names up on every `docker pull` — so every pull cost
 * 10 s. Pointing glibc at the gateway, where the firewall REJECTs port 53 at once, makes every
 * lookup fail in milliseconds instead.
 */

/** The file's name inside the per-sandbox host directory. */
export const RESOLV_CONF = 'resolv.conf';

/**
 * The resolv.conf text: the gateway (refused at once), one try, one second at most.
 *
 * @example
 * resolvConf(loadConfig()); // 'nameserver 10.77.0.1\noptions ndots:0 timeout:1 attempts:1\n'
 */
export function resolvConf(cfg: HandsonConfig): string {
  return `nameserver ${gatewayAddress(cfg)}\noptions ndots:0 timeout:1 attempts:1\n`;
}

/** Write the sandbox's resolv.conf into its host directory (mounted read-only by the profile). */
export async function writeResolvConf(cfg: HandsonConfig, hostDir: string): Promise<void> {
  await writeFile(path.join(hostDir, RESOLV_CONF), resolvConf(cfg), { mode: 0o644 });
}
