import { isIPv4, isIPv6 } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The key per-client limits count under: an IPv4 address as it is (an IPv4-mapped IPv6 one as
 * IPv4), an IPv6 address by its /64, because one host is routinely given a whole /64 and
 * could otherwise take a fresh address for every request.
 *
 * @example
 * addressKey('2001:db8:1:2:aaaa::1')  // '2001:db8:1:2::/64'
 * addressKey('::ffff:192.0.2.7')     // '192.0.2.7'
 * addressKey('192.0.2.7')            // '192.0.2.7'
 */
export function addressKey(address: string): string {
  const bare = address.replace(/%.*$/, ''); // a zone (fe80::1%eth0) names the local link only
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return bare;
  const groups = ipv6Groups(bare);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail too). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = text.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string | undefined) =>
    part ? part.split(':').map((g) => Number.parseInt(g, 16)) : [];
  const front = parse(head);
  const back = parse(tail);
  const zeros = tail === undefined ? [] : Array(8 - front.length - back.length).fill(0);
  return [...front, ...zeros, ...back];
}

/**
 * The client's key for per-client rate limits (see `addressKey`). Proxy headers are not
 * trusted: an operator who puts handson behind a reverse proxy should rate-limit there.
 */
export function clientAddress(c: Context): string {
  try {
    return addressKey(getConnInfo(c).remote.address ?? 'unknown');
  } catch {
    // Requests made in-process (app.request in tests) have no socket.
    return 'unknown';
  }
}
