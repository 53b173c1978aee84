import { readFile } from 'node:fs/promises';

/** The host uid/gid that is root inside every sandbox (the engine's `dockremap` range start). */
export interface RemappedRoot {
  uid: number;
  gid: number;
}

/**
 * Read the start of the `dockremap` subordinate ranges, which `--userns-remap=default` maps to
 * uid/gid 0 inside containers. Disks and cgroups are chowned to it so the sandbox's root owns
 * them without being root on the host.
 *
 * @example
 * await remappedRoot() // { uid: 100000, gid: 100000 }
 */
export async function remappedRoot(user = 'dockremap'): Promise<RemappedRoot> {
  const uid = parseSubordinate(await readFile('/etc/subuid', 'utf8').catch(() => ''), user);
  const gid = parseSubordinate(await readFile('/etc/subgid', 'utf8').catch(() => ''), user);
  if (uid === undefined || gid === undefined) {
    throw new Error(
      `No "${user}" entry in /etc/subuid and /etc/subgid: the sandbox engine is not running with ` +
        '--userns-remap=default. Start it with `handson setup` (or `handson doctor --fix`).',
    );
  }
  return { uid, gid };
}

/** First id of `user`'s range in an /etc/subuid-style text. */
export function parseSubordinate(text: string, user: string): number | undefined {
  for (const line of text.split('\n')) {
    const [name, start] = line.trim().split(':');
    if (name === user && start && /^\d+$/.test(start)) return Number(start);
  }
  return undefined;
}
