import fs from 'node:fs';

/** A system account's ids, as `/etc/passwd` has them. */
export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

/**
 * The account `name` from `/etc/passwd`, or undefined when there is none (Node has no
 * getpwnam; the services that run as their own user need the ids to spawn and chown).
 *
 * @example
 * systemUser('postgres') // { name: 'postgres', uid: 101, gid: 104 }
 */
export function systemUser(name: string, passwd = '/etc/passwd'): SystemUser | undefined {
  let text: string;
  try {
    text = fs.readFileSync(passwd, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) {
      return { name, uid: Number(uid), gid: Number(gid) };
    }
  }
  return undefined;
}
