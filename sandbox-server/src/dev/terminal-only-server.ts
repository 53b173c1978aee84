import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { errorHandler, notFound } from '../http/error-handler.ts';
import type { SessionDirectory } from '../sessions/session-handle.ts';
import { terminalRoutes } from '../terminal/routes.ts';
import { TerminalHub } from '../terminal/terminal-hub.ts';
import { attachTerminalWebSocket, type TerminalSocketDeps } from '../terminal/terminal-socket.ts';

export interface TerminalOnlyServer {
  /** `127.0.0.1:<port>` */
  base: string;
  server: Server;
  ctx: TerminalSocketDeps & { sessions: SessionDirectory };
  close(): Promise<void>;
}

/**
 * Just the terminal routes and WebSocket on a loopback port, over sessions the caller keeps:
 * the terminal bridge exactly as `handson serve` runs it, without the rest of the server (the
 * terminal benchmark and the terminal tests).
 *
 * @example
 * const { base, close } = await startTerminalOnlyServer(sessions);
 */
export async function startTerminalOnlyServer(
  sessions: SessionDirectory,
  socketOptions: { pingIntervalMs?: number } = {},
): Promise<TerminalOnlyServer> {
  const ctx = {
    sessions,
    terminals: new TerminalHub(sessions),
    allowedOrigins: (host: string | undefined) => (host ? [`http://${host}`] : []),
  };
  const app = new Hono();
  app.onError(errorHandler());
  app.notFound(notFound);
  app.route('/', terminalRoutes(ctx));
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s as Server),
    ) as Server;
  });
  const stopTerminals = attachTerminalWebSocket(server, ctx, socketOptions);
  return {
    base: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    ctx,
    async close() {
      await stopTerminals();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
