import { type ChildProcess, spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import type { TerminalPipe } from './probes.ts';

/** The parts of socket.io-client's socket the benchmark uses. */
interface IoSocket {
  on(event: string, listener: (...args: unknown[]) => void): void;
  off(event: string, listener: (...args: unknown[]) => void): void;
  emit(event: string, ...args: unknown[]): void;
  disconnect(): void;
}

/**
 * The wetty baseline: wetty (socket.io + node-pty) on a loopback port running
 * `docker exec -it <container> bash -i` against the sandbox engine, driven by socket.io-client
 * from wetty's own install, acking ("commit") every chunk like a fast browser.
 */
export async function startWetty(bin: string, containerId: string, engineSocket: string) {
  const main = realpathSync(bin);
  const requireFromWetty = createRequire(path.join(path.dirname(main), '..', 'package.json'));
  const { io } = requireFromWetty('socket.io-client') as {
    io: (url: string, opts: Record<string, unknown>) => IoSocket;
  };
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      main,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--command',
      `docker exec -it ${containerId} bash -i`,
    ],
    {
      env: { ...process.env, DOCKER_HOST: `unix://${engineSocket}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('wetty did not start within 20 s')), 20_000);
    const onOutput = (chunk: Buffer) => {
      if (/listening|Server started/i.test(chunk.toString())) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('exit', (code) => reject(new Error(`wetty exited (${code})`)));
  });

  return {
    async connect(): Promise<TerminalPipe> {
      const socket = io(`http://127.0.0.1:${port}`, {
        path: '/wetty/socket.io',
        transports: ['websocket'],
        extraHeaders: { referer: `http://127.0.0.1:${port}/wetty` },
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('wetty never logged in')), 20_000);
        socket.on('login', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.on('connect', () => socket.emit('resize', { cols: 200, rows: 50 }));
      });
      const listeners = new Set<(chunk: Buffer) => void>();
      socket.on('data', (data) => {
        const text = String(data);
        socket.emit('commit', text.length);
        const chunk = Buffer.from(text, 'utf8');
        for (const l of listeners) l(chunk);
      });
      return {
        send: (data) => socket.emit('input', data),
        onData: (listener) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        close: async () => socket.disconnect(),
      };
    },
    async close() {
      child.kill('SIGTERM');
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
