import { isIP, isIPv4, isIPv6 } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';

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

/** Where `forwardedClient` leaves the address it read from a trusted proxy's header. */
declare module 'hono' {
  interface ContextVariableMap {
    forwardedClient: string;
  }
}

/**
 * The client's key for per-client rate limits (see `addressKey`): the socket's peer, or, when
 * that peer is a trusted proxy (`forwardedClient`), the address the proxy says it serves.
 */
export function clientAddress(c: Context): string {
  const forwarded = c.get('forwardedClient');
  if (forwarded !== undefined) return forwarded;
  return addressKey(peerAddress(c));
}

/** The socket's remote address, or `unknown` for requests made in-process (no socket). */
function peerAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The most `X-Forwarded-For` entries read: a chain of proxies longer than this is not ours. */
const MAX_FORWARDED_HOPS = 16;

/**
 * The address a request stands for, from `X-Forwarded-For` (`client, proxy1, proxy2`, each proxy
 * appending the address it was reached from): walk from the right past trusted proxies; the first
 * address that is not one is the client. Anything a client wrote itself lies left of it and is
 * never read. Undefined when the header has nothing usable.
 *
 * @example
 * forwardedFor('203.0.113.9, 127.0.0.1', new Set(['127.0.0.1'])) // '203.0.113.9'
 * forwardedFor('1.2.3.4, 203.0.113.9', new Set(['127.0.0.1']))   // '203.0.113.9'
 */
export function forwardedFor(header: string, trusted: ReadonlySet<string>): string | undefined {
  const hops = header.slice(-2048).split(',').slice(-MAX_FORWARDED_HOPS).reverse();
  let last: string | undefined;
  for (const hop of hops) {
    const address = hop.trim();
    if (isIP(address.replace(/%.*$/, '')) === 0) break;
    last = addressKey(address);
    if (!trusted.has(last)) return last;
  }
  // Only trusted proxies (or garbage left of them): the leftmost trusted one is all we know.
  return last;
}

/**
 * The proxies whose `X-Forwarded-For` is believed (`HANDSON_TRUSTED_PROXIES`, comma-separated
 * addresses, e.g. `127.0.0.1` for a load balancer on this machine), keyed as `addressKey` keys
 * them; a bad entry throws an error saying what is expected.
 *
 * @example
 * parseTrustedProxies('127.0.0.1, ::1') // Set { '127.0.0.1', '0:0:0:0::/64' }
 */
export function parseTrustedProxies(raw: string): Set<string> {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    if (isIP(entry) === 0) {
      throw new Error(
        `HANDSON_TRUSTED_PROXIES: "${entry.slice(0, 100)}" is not an IP address; list the load balancer's addresses, e.g. 127.0.0.1.`,
      );
    }
  }
  return new Set(entries.map(addressKey));
}

/**
 * A guard that, for a request whose socket peer is a trusted proxy, records the client address
 * its `X-Forwarded-For` names, so per-address limits count people, not the load balancer. From
 * any other peer the header is ignored: a client cannot choose its own key.
 *
 * @example
 * app.use('*', forwardedClient(parseTrustedProxies('127.0.0.1')));
 */
export function forwardedClient(trusted: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    if (trusted.size > 0 && trusted.has(addressKey(peerAddress(c)))) {
      const header = c.req.header('x-forwarded-for');
      const client = header === undefined ? undefined : forwardedFor(header, trusted);
      if (client !== undefined) c.set('forwardedClient', client);
    }
    await next();
  };
}
