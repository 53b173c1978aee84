import type { IncomingMessage } from 'node:http';
import net, { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { SESSION_HEADER } from './session-affinity.ts';

/** Where a session lives in a cluster: the replica holding it, when that is another one. */
export interface SessionOwners {
  /** The base URL (`http://host:port`) of the other replica that owns `sessionId`, if any. */
  ownerAddress(sessionId: string): Promise<string | undefined>;
}

/**
 * Marks a request one replica passed on to another. A request carrying it is never passed on
 * again, so two replicas that disagree about an owner cannot bounce a request between them.
 */
export const FORWARDED_BY = 'x-handson-forwarded-by';

/** Headers that describe one connection, not the request (RFC 9110 §7.6.1), or that fetch sets. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
  'x-forwarded-for',
]);

/** What is passed on of a request: its line, headers and (already bounded) body. */
export interface ForwardedRequest {
  method: string;
  /** Path and query, e.g. `/api/workshops/w1/learners/l1/reset`. */
  path: string;
  headers: Headers;
  body: ArrayBuffer | undefined;
  /** The client's address as this replica believes it (see `clientAddress`). */
  client: string;
  signal?: AbortSignal;
}

/** The longest a passed-on request may take (a reset or goto replays a lesson). */
const FORWARD_TIMEOUT_MS = 120_000;

/**
 * One replica of a cluster passing a request about a session it does not hold to the replica
 * that does: an instructor's action that reached it through the load balancer's round robin, or
 * a terminal WebSocket whose ticket the owner issued.
 *
 * @example
 * const forward = new OwnerForwarding(replica, 'replica-4400');
 * const answer = await forward.toOwner(sessionId, request); // undefined: not held elsewhere
 */
export class OwnerForwarding {
  constructor(
    private readonly owners: SessionOwners,
    /** This replica's name, sent along so the owner knows the request was passed on. */
    private readonly self: string,
  ) {}

  /**
   * The owner's answer to `req`, or undefined when there is nobody to ask: no other replica
   * owns the session, the request was already passed on once, or the owner does not answer
   * (it died a moment ago: the caller's failover takes its sessions over).
   */
  async toOwner(sessionId: string, req: ForwardedRequest): Promise<Response | undefined> {
    if (req.headers.has(FORWARDED_BY)) return undefined;
    const address = await this.owners.ownerAddress(sessionId);
    if (!address) return undefined;
    const headers = forwardHeaders(req.headers, req.client, this.self);
    const timeout = AbortSignal.timeout(FORWARD_TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(new URL(req.path, address), {
        method: req.method,
        headers,
        ...(req.body === undefined ? {} : { body: req.body }),
        redirect: 'manual',
        signal: req.signal ? AbortSignal.any([req.signal, timeout]) : timeout,
      });
    } catch {
      return undefined;
    }
    return new Response(res.body, { status: res.status, headers: answerHeaders(res.headers) });
  }

  /**
   * Pass a WebSocket upgrade for a session another replica holds on to it: the upgrade request
   * is sent to the owner and the two connections are joined byte for byte, so the owner answers
   * (and refuses) it as if it had come first there. False when there is nobody to ask (see
   * `toOwner`); the caller then answers it itself.
   */
  async upgradeAtOwner(
    sessionId: string,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): Promise<boolean> {
    if (req.headers[FORWARDED_BY] !== undefined) return false;
    const address = await this.owners.ownerAddress(sessionId).catch(() => undefined);
    if (!address) return false;
    const target = new URL(address);
    const upstream = net.connect({ host: target.hostname, port: Number(target.port) });
    const connected = await new Promise<boolean>((resolve) => {
      upstream.once('connect', () => resolve(true));
      upstream.once('error', () => resolve(false));
      upstream.setTimeout(CONNECT_TIMEOUT_MS, () => resolve(false));
    });
    if (!connected) {
      upstream.destroy();
      return false;
    }
    upstream.setTimeout(0);
    const close = () => {
      socket.destroy();
      upstream.destroy();
    };
    for (const end of [socket, upstream]) {
      end.on('error', close);
      end.on('close', close);
    }
    upstream.write(
      upgradeHead(req.method ?? 'GET', req.url ?? '/', req.rawHeaders, target.host, this.self),
    );
    if (head.length > 0) upstream.write(head);
    socket.pipe(upstream);
    upstream.pipe(socket);
    return true;
  }
}

/** How long the owner may take to accept a passed-on WebSocket's connection. */
const CONNECT_TIMEOUT_MS = 3_000;

/**
 * The request head of a passed-on upgrade: the client's request line and headers (as Node parsed
 * them: no line breaks inside), its Host replaced by the owner's, without a client-written
 * `X-Forwarded-For`, marked as passed on.
 *
 * @example
 * upgradeHead('GET', '/api/sessions/s1/terminal?ticket=t', ['Host', 'lb', 'Upgrade', 'websocket'], '127.0.0.1:4400', 'replica-4401')
 * // 'GET /api/sessions/s1/terminal?ticket=t HTTP/1.1\r\nHost: 127.0.0.1:4400\r\nUpgrade: websocket\r\nx-handson-forwarded-by: replica-4401\r\n\r\n'
 */
export function upgradeHead(
  method: string,
  url: string,
  rawHeaders: string[],
  host: string,
  self: string,
): string {
  const lines = [`${method} ${url} HTTP/1.1`, `Host: ${host}`];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (lower === 'host' || lower === 'x-forwarded-for' || lower === FORWARDED_BY) continue;
    lines.push(`${name}: ${rawHeaders[i + 1]}`);
  }
  lines.push(`${FORWARDED_BY}: ${self}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * The headers sent to the owner: the client's own, without the connection's, with the client's
 * address as this replica believes it (never a client-written `X-Forwarded-For`) and the mark.
 *
 * @example
 * forwardHeaders(new Headers({ authorization: 'Bearer t', host: 'lb' }), '203.0.113.9', 'replica-4400')
 * // authorization kept, host dropped, x-forwarded-for: 203.0.113.9, x-handson-forwarded-by: replica-4400
 */
export function forwardHeaders(incoming: Headers, client: string, self: string): Headers {
  const headers = new Headers();
  for (const [name, value] of incoming) if (!HOP_BY_HOP.has(name)) headers.set(name, value);
  if (isIP(client) !== 0) headers.set('x-forwarded-for', client);
  headers.set(FORWARDED_BY, self);
  return headers;
}

/**
 * The owner's answer headers as passed back: without the connection's, without the body's
 * encoding (fetch has decoded it), and without `X-Handson-Session`, so the load balancer does
 * not take the forwarding replica for the session's home.
 */
export function answerHeaders(answer: Headers): Headers {
  const headers = new Headers();
  for (const [name, value] of answer) {
    if (HOP_BY_HOP.has(name) || name === 'content-encoding' || name === SESSION_HEADER) continue;
    headers.append(name, value);
  }
  return headers;
}
