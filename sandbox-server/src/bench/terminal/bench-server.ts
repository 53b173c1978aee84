import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { serve } from '@hono/node-server';
import type Docker from 'dockerode';
import { Hono } from 'hono';
import WebSocket from 'ws';
import { loadConfig } from '../../config.ts';
import { encodeControl } from '../../contracts/terminal-protocol.ts';
import type { Sandbox, SandboxDriver } from '../../sandbox/driver.ts';
import type { ServerContext, SessionHandle } from '../../server/context.ts';
import { execTty } from '../../terminal/exec-tty.ts';
import { terminalRoutes } from '../../terminal/terminal-routes.ts';
import { attachTerminalWebSocket } from '../../terminal/terminal-socket.ts';
import type { TerminalPipe } from './probes.ts';

/**
 * The terminal bridge as the server runs it (ticket route, WebSocket upgrade, TerminalSession,
 * tmux in the sandbox), for one session over an existing container, on a loopback port.
 */
export async function startBenchServer(container: Docker.Container) {
  const sessionId = randomUUID();
  const token = randomUUID();
  const sandbox = containerSandbox(container, sessionId);
  const handle: SessionHandle = {
    id: sessionId,
    lang: 'en',
    lesson: undefined,
    step: undefined,
    sandbox: async () => sandbox,
    touch: () => undefined,
  };
  const ctx: ServerContext = {
    config: loadConfig(),
    driver: {} as SandboxDriver,
    sessions: {
      authorize: () => handle,
      find: (id) => (id === sessionId ? handle : undefined),
      onEnd: () => undefined,
    },
    allowedOrigins: (host) => (host ? [`http://${host}`] : []),
  };
  const app = new Hono();
  app.route('/', terminalRoutes(ctx));
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s as Server),
    ) as Server;
  });
  const stop = attachTerminalWebSocket(server, ctx);
  const base = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** A WebSocket client like the browser's; `ackBytesPer100ms` makes it a slow reader. */
  async function connect(terminal: string, opts: { ackBytesPer100ms?: number } = {}) {
    const res = await fetch(`http://${base}/api/sessions/${sessionId}/terminals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ terminal, mode: 'write' }),
    });
    const { ticket } = (await res.json()) as { ticket: string };
    const ws = new WebSocket(`ws://${base}/api/sessions/${sessionId}/terminal?ticket=${ticket}`, {
      perMessageDeflate: false,
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.send(encodeControl({ type: 'resize', cols: 200, rows: 50 }));
    return wsPipe(ws, opts.ackBytesPer100ms);
  }

  return {
    connect,
    async close() {
      await stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

function wsPipe(ws: WebSocket, ackBytesPer100ms?: number): TerminalPipe {
  const listeners = new Set<(chunk: Buffer) => void>();
  let unacked = 0;
  let ackScheduled = false;
  const ack = (bytes: number) => {
    if (bytes > 0 && ws.readyState === WebSocket.OPEN) {
      ws.send(encodeControl({ type: 'ack', bytes }));
    }
  };
  const slow =
    ackBytesPer100ms === undefined
      ? undefined
      : setInterval(() => {
          const n = Math.min(unacked, ackBytesPer100ms);
          unacked -= n;
          ack(n);
        }, 100);
  ws.on('message', (data, isBinary) => {
    if (!isBinary) return;
    const chunk = data as Buffer;
    unacked += chunk.length;
    for (const l of listeners) l(chunk);
    // A fast client acks what it consumed once per event-loop turn, like xterm's write callback.
    if (!slow && !ackScheduled) {
      ackScheduled = true;
      setImmediate(() => {
        ackScheduled = false;
        ack(unacked);
        unacked = 0;
      });
    }
  });
  return {
    send: (data) => ws.send(Buffer.from(data), { binary: true }),
    onData: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      if (slow) clearInterval(slow);
      ws.close();
    },
  };
}

/** Just enough of a Sandbox over a plain container: TTYs and plain execs. */
function containerSandbox(container: Docker.Container, sessionId: string): Sandbox {
  const unsupported = () => Promise.reject(new Error('not available in the terminal benchmark'));
  return {
    id: container.id,
    sessionId,
    driver: 'dind',
    openTty: (opts) => execTty(container, { ...opts, workingDir: '/root' }),
    exec: async (cmd) => {
      const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({ hijack: true, stdin: false });
      const sink = new PassThrough().resume();
      container.modem.demuxStream(stream, sink, sink);
      await new Promise((r) => stream.on('end', r));
      return { exitCode: (await exec.inspect()).ExitCode ?? 0, stdout: '', stderr: '' };
    },
    readFile: unsupported,
    writeFile: unsupported,
    engine: () => {
      throw new Error('not available in the terminal benchmark');
    },
    connect: unsupported,
    ready: async () => undefined,
  };
}
