import fs from 'node:fs';
import { processCmdline } from '../system/managed-process.ts';

/**
 * Who listens on a TCP port: read from /proc (no `ss`/`lsof` output to parse), so a
 * "port already taken" message can name the process to stop.
 */
export interface PortListener {
  address: string;
  port: number;
  /** Inode of the listening socket, to find its process. */
  inode: string;
}

/** TCP sockets in LISTEN state on `port` (IPv4 and IPv6). */
export function listenersOn(port: number): PortListener[] {
  const found: PortListener[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [local, , state] = [cols[1], cols[2], cols[3]];
      const inode = cols[9];
      if (!local || state !== '0A' || !inode) continue; // 0A = LISTEN
      const [hexAddr, hexPort] = local.split(':');
      if (!hexAddr || !hexPort || Number.parseInt(hexPort, 16) !== port) continue;
      found.push({ address: decodeAddress(hexAddr), port, inode });
    }
  }
  return found;
}

/** `/proc/net/tcp` stores IPv4 addresses as little-endian hex; IPv6 as four such words. */
export function decodeAddress(hex: string): string {
  if (hex.length === 8) {
    return [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join('.');
  }
  if (/^0+$/.test(hex)) return '::';
  if (hex === '00000000000000000000000001000000') return '::1';
  return `[ipv6 ${hex}]`;
}

/** The pid and command line of the process holding socket `inode`, when visible. */
export function socketOwner(inode: string): { pid: number; cmdline: string } | undefined {
  const target = `socket:[${inode}]`;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (fs.readlinkSync(`/proc/${entry}/fd/${fd}`) === target) {
          const pid = Number(entry);
          return { pid, cmdline: processCmdline(pid) ?? '?' };
        }
      } catch {
        // the fd closed while we looked
      }
    }
  }
  return undefined;
}

/**
 * A sentence naming what holds `address:port`, or undefined when it is free. Listeners on the
 * wildcard address count, because they block a bind to any single address.
 *
 * @example
 * portTakenMessage('127.0.0.1', 5480)
 * // 'port 5480 on 127.0.0.1 is already taken by pid 812 (python3 -m http.server 5480)'
 */
export function portTakenMessage(address: string, port: number): string | undefined {
  const holders = listenersOn(port).filter(
    (l) => l.address === address || l.address === '0.0.0.0' || l.address === '::',
  );
  const first = holders[0];
  if (!first) return undefined;
  const owner = socketOwner(first.inode);
  const who = owner ? `pid ${owner.pid} (${owner.cmdline})` : 'another process';
  return `port ${port} on ${address} is already taken by ${who}`;
}
