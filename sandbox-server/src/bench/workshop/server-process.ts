import { appendFileSync } from 'node:fs';
import { loadConfig } from '../../config.ts';
import { startServer } from '../../server/start-server.ts';
import { eventLoopDelay } from '../stats.ts';

/**
 * The workshop bench's server, in a process of its own as an operator runs it: the simulated
 * class must not share the server's event loop (its WebSocket clients would add their own work
 * to every echo the bench measures). Driven over the IPC channel of `fork`:
 * → `settled` answers when the pool has booted the class's sandboxes; → `stats` answers with
 * the RSS and event-loop delay since the last `stats`; → `close` (or a lost parent) ends it.
 */

export type ToServer =
  | { type: 'settled' }
  /** `gc`: collect garbage first, so the RSS is what the server holds, not what it has yet to free. */
  | { type: 'stats'; gc?: boolean }
  | { type: 'close' };
export type FromServer =
  | { type: 'ready'; url: string }
  | { type: 'settled'; available: number }
  | { type: 'stats'; rssMb: number; loopP99Ms: number; loopMaxMs: number };

/** What the bench asks of the server, in HANDSON_BENCH_SERVER (JSON). */
export interface ServerProcessOptions {
  database: string;
  maxSandboxes: number;
  /** A file for the server's log (HANDSON_BENCH_SERVER_LOG), if any. */
  logFile?: string;
}

const options = JSON.parse(process.env.HANDSON_BENCH_SERVER ?? '{}') as ServerProcessOptions;
const send = (message: FromServer) => process.send?.(message);
const logFile = options.logFile;

const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  driver: 'dind',
  config: { ...loadConfig(), database: options.database },
  warmPool: 0,
  settings: { maxSandboxes: options.maxSandboxes },
  log: logFile
    ? (message) => appendFileSync(logFile, `${new Date().toISOString()} ${message}\n`)
    : () => undefined,
});
const loop = eventLoopDelay();

let closing: Promise<void> | undefined;
const close = () => {
  closing ??= server.close().finally(() => process.exit(0));
  return closing;
};
process.on('disconnect', () => void close());
process.on('SIGINT', () => void close());
process.on('message', (message: ToServer) => {
  if (message.type === 'settled') {
    void server.pool
      ?.settled()
      .then(() => send({ type: 'settled', available: server.pool?.available ?? 0 }));
  } else if (message.type === 'stats') {
    if (message.gc) (globalThis as { gc?: () => void }).gc?.();
    send({
      type: 'stats',
      rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
      loopP99Ms: loop.p99(),
      loopMaxMs: loop.max(),
    });
    loop.reset();
  } else if (message.type === 'close') {
    void close();
  }
});
send({ type: 'ready', url: server.url });
