import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A unix socket that pretends to be a learner's dockerd gone bad: what a learner gets with
 * `socat UNIX-LISTEN:/var/run/docker.sock,fork EXEC:…`. Each mode is one way to hurt a client
 * that trusts its engine; the server counts what it wrote and sees when the client hangs up.
 */

export type HostileMode =
  /** `cat /dev/zero`: bytes that are not HTTP at all, as fast as the client reads. */
  | 'zeros'
  /** A 200 answer whose JSON body never ends. */
  | 'flood'
  /** A 200 answer with a Content-Length of 64 MiB: a huge, well-formed list. */
  | 'huge-json'
  /** A 200 answer that sends one byte of its body every 50 ms, forever. */
  | 'trickle'
  /** Accepts the connection and never answers. */
  | 'silent';

export interface HostileEngine {
  socketPath: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections the client has closed (or that broke). */
  readonly closed: number;
  /** Bytes the server managed to hand to the kernel. */
  readonly bytesWritten: number;
  stop(): Promise<void>;
}

const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n';

function serve(socket: net.Socket, mode: HostileMode, count: (n: number) => void): void {
  const block = Buffer.alloc(64 * 1024, mode === 'zeros' ? 0 : 0x20);
  const pump = () => {
    while (!socket.destroyed && socket.write(block)) count(block.length);
  };
  if (mode === 'silent') return;
  if (mode === 'trickle') {
    socket.write(`${HEAD}\r\n[`);
    const timer = setInterval(() => {
      if (socket.write(' ')) count(1);
    }, 50);
    socket.on('close', () => clearInterval(timer));
    return;
  }
  if (mode === 'flood') socket.write(`${HEAD}\r\n[`);
  if (mode === 'huge-json') socket.write(`${HEAD}Content-Length: ${64 * 2 ** 20}\r\n\r\n[`);
  socket.on('drain', pump);
  pump();
}

/**
 * Start a hostile engine on a fresh socket path.
 *
 * @example
 * const engine = await startHostileEngine('flood');
 * // … point a client at engine.socketPath …
 * await engine.stop();
 */
export async function startHostileEngine(mode: HostileMode): Promise<HostileEngine> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hostile-engine-'));
  const socketPath = path.join(dir, 'docker.sock');
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let closed = 0;
  let bytesWritten = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    // Read (and drop) the request, so the client's hang-up is seen.
    socket.resume();
    socket.on('close', () => {
      closed++;
      sockets.delete(socket);
    });
    serve(socket, mode, (n) => {
      bytesWritten += n;
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    get connections() {
      return connections;
    },
    get closed() {
      return closed;
    },
    get bytesWritten() {
      return bytesWritten;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
