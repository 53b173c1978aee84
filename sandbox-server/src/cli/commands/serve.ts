import type { Command } from 'commander';
import { parseTrustedProxies } from '../../http/client-address.ts';
import { parseOrigins } from '../../http/origin-policy.ts';
import type { DriverName } from '../../sandbox/driver.ts';
import { installLastResort } from '../../server/last-resort.ts';
import { startServer } from '../../server/start-server.ts';
import type { RegisterCommand } from './index.ts';

const DRIVERS: DriverName[] = ['dind', 'host'];

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port ${raw} is not a port number (0–65535).`);
  }
  return port;
}

/**
 * `handson serve [--port 4321] [--host 127.0.0.1] [--driver dind|host]`: site + API +
 * WebSockets on one port until SIGINT/SIGTERM. Sandboxes outlive the server; the next
 * `serve` re-adopts them.
 *
 * @example
 * npx handson serve --port 4321 --driver dind
 */
export const registerServe: RegisterCommand = (program: Command) => {
  program
    .command('serve')
    .description('Serve the course site, the API and the terminals on one port.')
    .option('--port <port>', 'port to listen on (default 4321, or HANDSON_PORT)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1, or HANDSON_HOST)')
    .option(
      '--driver <driver>',
      'sandbox driver: dind (a private engine per learner) or host',
      'dind',
    )
    .option(
      '--origin <origins>',
      'origins allowed besides the addresses it listens on, comma-separated, e.g. https://course.example.com (or HANDSON_ORIGINS)',
    )
    .action(async (opts: { port?: string; host?: string; driver: string; origin?: string }) => {
      if (!DRIVERS.includes(opts.driver as DriverName)) {
        throw new Error(`--driver ${opts.driver} is unknown; use one of: ${DRIVERS.join(', ')}.`);
      }
      installLastResort({ log: (m) => process.stderr.write(`handson serve: ${m}\n`) });
      const running = await startServer({
        driver: opts.driver as DriverName,
        ...(opts.port !== undefined ? { port: parsePort(opts.port) } : {}),
        ...(opts.host !== undefined ? { host: opts.host } : {}),
        origins: parseOrigins(opts.origin ?? process.env.HANDSON_ORIGINS ?? ''),
        trustedProxies: parseTrustedProxies(process.env.HANDSON_TRUSTED_PROXIES ?? ''),
        ...(process.env.HANDSON_REPLICA_ID ? { replicaId: process.env.HANDSON_REPLICA_ID } : {}),
      });
      process.stdout.write(`handson serve: listening on ${running.url} (driver ${opts.driver})\n`);
      await new Promise<void>((resolve) => {
        const shutdown = (signal: NodeJS.Signals) => {
          process.stderr.write(`handson serve: ${signal}, shutting down (sandboxes are kept)\n`);
          running.close().then(resolve, (error: Error) => {
            process.stderr.write(`handson serve: shutdown failed: ${error.message}\n`);
            process.exitCode = 1;
            resolve();
          });
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      });
      process.stderr.write('handson serve: stopped\n');
      // Engine API clients keep sockets (terminal streams, keep-alive agents) that would hold
      // the process open; everything that matters has been closed above.
      process.exit();
    });
};
