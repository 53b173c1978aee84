import path from 'node:path';
import type { HandsonConfig } from '../config.ts';
import type { ManagedProcessSpec } from '../system/managed-process.ts';

/**
 * One replica: a `handson serve` process on its own loopback port, on the cluster's Postgres,
 * believing the load balancer's `X-Forwarded-For` and answering for its origin. Started as node
 * itself (not through npm), so the pid in its pidfile is the replica's own process.
 */
export interface ReplicaOptions {
  port: number;
  lbPort: number;
  postgresUrl: string;
}

/** A replica's identity in the database: its port, stable across replacements of the process. */
export function replicaId(port: number): string {
  return `replica-${port}`;
}

/**
 * The process spec of the replica on `opts.port`.
 *
 * @example
 * startManaged(replicaSpec(cfg, { port: 4400, lbPort: 8080, postgresUrl }));
 */
export function replicaSpec(cfg: HandsonConfig, opts: ReplicaOptions): ManagedProcessSpec {
  const bin = path.join(cfg.projectRoot, 'sandbox-server', 'bin', 'handson.js');
  const args = [bin, 'serve', '--host', '127.0.0.1', '--port', String(opts.port)];
  return {
    name: `replica on 127.0.0.1:${opts.port}`,
    command: process.execPath,
    args: [...args, '--origin', `http://127.0.0.1:${opts.lbPort}`],
    // The port is followed by --origin, so replica 4400 is never mistaken for 44001.
    signature: `serve --host 127.0.0.1 --port ${opts.port} --origin`,
    pidfile: path.join(cfg.clusterDir, 'run', `${replicaId(opts.port)}.pid`),
    logFile: path.join(cfg.clusterDir, 'logs', `${replicaId(opts.port)}.log`),
    env: {
      ...process.env,
      HANDSON_DATABASE: opts.postgresUrl,
      HANDSON_CLUSTER_DIR: cfg.clusterDir,
      HANDSON_REPLICA_ID: replicaId(opts.port),
      // HAProxy reaches the replicas from loopback; only its X-Forwarded-For is believed.
      HANDSON_TRUSTED_PROXIES: '127.0.0.1',
    },
  };
}
