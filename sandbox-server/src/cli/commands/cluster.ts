import type { Command } from 'commander';
import {
  type ClusterStatus,
  clusterDown,
  clusterStatus,
  clusterUp,
} from '../../cluster/cluster.ts';
import { clusterDatabase } from '../../cluster/cluster-database.ts';
import { loadConfig } from '../../config.ts';
import type { RegisterCommand } from './index.ts';

function parseCount(raw: string, flag: string, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new Error(`${flag} ${raw} is not a whole number from 1 to ${max}.`);
  }
  return n;
}

function formatStatus(status: ClusterStatus): string {
  const lines = [
    `load balancer  http://127.0.0.1:${status.lb.port}  ${status.lb.pid === null ? 'NOT RUNNING' : `pid ${status.lb.pid}`}`,
    ...status.replicas.map(
      (r) =>
        `${r.id.padEnd(14)} http://127.0.0.1:${r.port}  ${r.pid === null ? 'NOT RUNNING' : `pid ${r.pid}`}  ${r.healthy ? 'healthy' : 'unhealthy'}`,
    ),
    `postgres       ${status.postgres.url}`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `handson cluster up|status|down`: the multi-process deployment on this machine — PostgreSQL,
 * N replicas of `handson serve` and HAProxy in front of them.
 *
 * @example
 * npx handson cluster up --replicas 2 --port 8080
 * npx handson cluster status --json
 * npx handson cluster down
 */
export const registerCluster: RegisterCommand = (program: Command) => {
  const cluster = program
    .command('cluster')
    .description('Run PostgreSQL, several `handson serve` replicas and HAProxy on this machine.');
  cluster
    .command('up')
    .description('Start (or repair) the cluster: replicas that died are started again.')
    .option('--replicas <n>', 'how many replicas (default: as before, else 2)')
    .option(
      '--port <port>',
      "the load balancer's port on 127.0.0.1 (default: as before, else a free one)",
    )
    .option('--json', 'print the status as JSON')
    .action(async (opts: { replicas?: string; port?: string; json?: boolean }) => {
      const cfg = loadConfig();
      const status = await clusterUp(cfg, clusterDatabase, {
        ...(opts.replicas !== undefined
          ? { replicas: parseCount(opts.replicas, '--replicas', 16) }
          : {}),
        ...(opts.port !== undefined ? { port: parseCount(opts.port, '--port', 65535) } : {}),
        log: (m) => process.stderr.write(`cluster: ${m}\n`),
      });
      process.stdout.write(opts.json ? `${JSON.stringify(status)}\n` : formatStatus(status));
    });
  cluster
    .command('status')
    .description('Show the load balancer, each replica (pid, port, healthy) and the database URL.')
    .option('--json', 'print {lb: {port}, replicas: [{pid, port, healthy}], postgres: {url}}')
    .action(async (opts: { json?: boolean }) => {
      const status = await clusterStatus(loadConfig());
      process.stdout.write(opts.json ? `${JSON.stringify(status)}\n` : formatStatus(status));
    });
  cluster
    .command('down')
    .description('Stop the load balancer, the replicas and the database (sandboxes are kept).')
    .action(async () => {
      const lines = await clusterDown(loadConfig(), clusterDatabase);
      process.stdout.write(
        lines.length > 0
          ? `${lines.join('\n')}\n`
          : 'Nothing to stop: no cluster process was running.\n',
      );
    });
};
