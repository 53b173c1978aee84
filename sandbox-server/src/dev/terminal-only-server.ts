import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { apiApp } from '../http/api-app.ts';
import { listeningOrigins, OriginPolicy } from '../http/origin-policy.ts';
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
    origins: new OriginPolicy(),
  };
  const app = apiApp([terminalRoutes(ctx)]);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s as Server),
    ) as Server;
  });
  const { port } = server.address() as AddressInfo;
  ctx.origins.allow(listeningOrigins('127.0.0.1', port));
  const stopTerminals = attachTerminalWebSocket(server, ctx, socketOptions);
  return {
    base: `127.0.0.1:${port}`,
    server,
    ctx,
    async close() {
      await stopTerminals();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
