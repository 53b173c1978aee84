import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The sandbox's own /etc/hosts. The engine writes none for a sandbox (its networking is
 * disabled there, network.ts says why), and without one `localhost` resolves nowhere — the
 * first `curl localhost:8080` of a lesson would fail.
 */

/** The file's name inside the per-sandbox host directory. */
export const ETC_HOSTS = 'hosts';

/**
 * The hosts text: loopback names, and the sandbox's own name on its address once it has one.
 *
 * @example
 * etcHosts('handson', '10.78.0.2'); // '127.0.0.1\tlocalhost\n…10.78.0.2\thandson\n'
 */
export function etcHosts(hostname: string, address?: string): string {
  return [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    ...(address ? [`${address}\t${hostname}`] : []),
    '',
  ].join('\n');
}

/**
 * Write the sandbox's hosts file into its host directory (mounted read-only by the profile).
 * Written in place, so a sandbox already running sees the new text.
 */
export async function writeEtcHosts(
  hostDir: string,
  hostname: string,
  address?: string,
): Promise<void> {
  await writeFile(path.join(hostDir, ETC_HOSTS), etcHosts(hostname, address), { mode: 0o644 });
}
