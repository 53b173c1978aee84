import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { TERMINAL_LIMITS } from '#contracts/terminal-protocol.ts';
import type { OriginPolicy } from '../http/origin-policy.ts';
import type { OwnerForwarding } from '../http/owner-forwarding.ts';
import { bindSocket } from './socket-client.ts';
import { SocketsPerSession } from './sockets-per-session.ts';
import type { TerminalHub, TerminalSessions } from './terminal-hub.ts';
import { refuseUpgrade } from './upgrade-refusal.ts';

const PATH = /^\/api\/sessions\/([^/]+)\/terminal$/;

/**
 * The session id and ticket of a terminal upgrade URL; `undefined` for another path,
 * `'malformed'` for a URL or escape that does not parse (`%zz`, `//`).
 *
 * @example
 * parseUpgradeTarget('/api/sessions/abc/terminal?ticket=t') // { sessionId: 'abc', ticket: 't' }
 */
export function parseUpgradeTarget(
  rawUrl: string | undefined,
): { sessionId: string; ticket: string } | 'malformed' | undefined {
  let url: URL;
  try {
    url = new URL(rawUrl ?? '/', 'http://localhost');
  } catch {
    return 'malformed';
  }
  const match = url.pathname.match(PATH);
  if (!match) return undefined;
  try {
    return {
      sessionId: decodeURIComponent(match[1]!),
      ticket: url.searchParams.get('ticket') ?? '',
    };
  } catch {
    return 'malformed';
  }
}

/** What the upgrade handler uses of the server. */
export interface TerminalSocketDeps {
  sessions: Pick<TerminalSessions, 'find'>;
  terminals: TerminalHub;
  /** The names this server answers for and the origins allowed to open WebSockets. */
  origins: Pick<OriginPolicy, 'allowsHost' | 'allowsOrigin'>;
  /** A replica of a cluster: an upgrade for a session another replica holds goes there. */
  forwarding?: Pick<OwnerForwarding, 'upgradeAtOwner'>;
}

/**
 * Serve `GET /api/sessions/:id/terminal?ticket=…` WebSocket upgrades on `server`. A Host that
 * is not one of the server's names gets 421, a foreign Origin 403 and a bad, used or expired ticket 401, as plain HTTP before any upgrade.
 * More than the session's socket limit gets 429. Every other upgrade is answered too (404 for another path, 400 for a malformed URL) and closed:
 * no upgrade is ever left open. Returns a function that stops it and
 * lets go of every terminal (their shells live on in tmux).
 *
 * @example
 * const server = serve({ fetch: app.fetch, port });
 * const stopTerminals = attachTerminalWebSocket(server, ctx);
 */
export function attachTerminalWebSocket(
  server: Server,
  ctx: TerminalSocketDeps,
  opts: { pingIntervalMs?: number } = {},
): () => Promise<void> {
  const hub = ctx.terminals;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: TERMINAL_LIMITS.maxPayloadBytes,
    // Compression costs CPU per keystroke and per output chunk; loopback and LANs do not need it.
    perMessageDeflate: false,
  });
  const alive = new WeakSet<WebSocket>();
  const perSession = new SocketsPerSession(TERMINAL_LIMITS.maxSocketsPerSession);

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Names and origins first: a rebinding page learns nothing, not even whether a ticket is good.
    if (!ctx.origins.allowsHost(req.headers.host)) {
      return refuseUpgrade(
        socket,
        421,
        'misdirected',
        'this server does not answer for that host; an operator adds a public name with --origin',
      );
    }
    const origin = req.headers.origin;
    // Browsers always send Origin on WebSockets; tools (verify, bench) may not, and cannot be
    // tricked into carrying someone else's ticket the way a page can.
    if (origin !== undefined && !ctx.origins.allowsOrigin(origin)) {
      return refuseUpgrade(
        socket,
        403,
        'forbidden_origin',
        `origin ${origin.slice(0, 100)} may not open terminals here`,
      );
    }
    const target = parseUpgradeTarget(req.url);
    if (target === 'malformed') {
      return refuseUpgrade(socket, 400, 'bad_request', 'the request URL is malformed');
    }
    if (!target) {
      return refuseUpgrade(socket, 404, 'not_found', 'no WebSocket is served at this path');
    }
    const { sessionId, ticket } = target;
    // Its ticket was issued by the replica holding the session (HAProxy lost its entry, or an
    // instructor's ticket request was passed on there): that replica answers it.
    if (ctx.forwarding && !ctx.sessions.find(sessionId)) {
      const here = () => guarded(req, socket, () => accept(req, socket, head, sessionId, ticket));
      ctx.forwarding
        .upgradeAtOwner(sessionId, req, socket, head)
        .then((passed) => passed || here(), here);
      return;
    }
    accept(req, socket, head, sessionId, ticket);
  };

  const accept = (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    sessionId: string,
    ticket: string,
  ) => {
    const grant = hub.tickets.redeem(ticket, sessionId);
    if (!grant) {
      return refuseUpgrade(
        socket,
        401,
        'bad_ticket',
        'the terminal ticket is unknown, used or expired: ask POST /api/sessions/:id/terminals for a new one',
      );
    }
    const session = ctx.sessions.find(sessionId);
    const registry = hub.registry(sessionId);
    if (!session || !registry) {
      return refuseUpgrade(socket, 404, 'not_found', `no session ${sessionId}`);
    }
    const release = perSession.acquire(sessionId);
    if (!release) {
      return refuseUpgrade(
        socket,
        429,
        'too_many_sockets',
        `this session already has ${TERMINAL_LIMITS.maxSocketsPerSession} terminal sockets open; close one first`,
      );
    }
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.once('close', release);
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      const bound = bindSocket(ws, grant.mode, () => session.touch());
      if (grant.mode === 'write') hub.trackWriter(sessionId, ws, (l) => ws.once('close', l));
      registry.open(grant.terminal).then(
        (term) => bound.attach(term),
        (error: Error) => bound.fail(`could not start the terminal: ${error.message}`),
      );
    });
  };
  // Whatever a client sends, the upgrade is answered and closed here: a throw in an 'upgrade'
  // listener would end the process, and every learner's terminal with it.
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    guarded(req, socket, () => handleUpgrade(req, socket, head));
  };
  function guarded(req: IncomingMessage, socket: Duplex, step: () => void): void {
    try {
      step();
    } catch (error) {
      console.error(`terminal upgrade ${JSON.stringify(req.url)} failed:`, error);
      refuseUpgrade(socket, 500, 'internal', 'the server could not open this terminal');
    }
  }
  server.on('upgrade', onUpgrade);

  // A peer that missed a whole ping interval is gone (laptop lid closed, network dropped).
  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, opts.pingIntervalMs ?? TERMINAL_LIMITS.pingIntervalMs);
  pinger.unref();

  return async () => {
    server.off('upgrade', onUpgrade);
    clearInterval(pinger);
    for (const ws of wss.clients) ws.terminate();
    await hub.releaseAll();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}
