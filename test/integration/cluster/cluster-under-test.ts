import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { ClusterStatus } from '../../../sandbox-server/src/cluster/cluster.ts';

const bin = path.resolve(import.meta.dirname, '../../../sandbox-server/bin/handson.js');
const run = promisify(execFile);

/**
 * A `handson cluster` of this spec's own (its own directory, Postgres, replicas and HAProxy on
 * free ports), so an operator's cluster and other specs' are left alone.
 */
export interface ClusterUnderTest {
  status: ClusterStatus;
  /** The load balancer's base URL. */
  lb: string;
  /** Run `handson cluster <args>` on this cluster; its stdout. */
  cluster(...args: string[]): Promise<string>;
  /** One query on the cluster's database. */
  sql<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** `cluster down` and remove the directory. */
  dispose(): Promise<void>;
}

/**
 * Start a cluster of `replicas` replicas (no warm pool: the spec's learners boot what they use).
 *
 * @example
 * const c = await startCluster(2);
 * await fetch(`${c.lb}/healthz`);
 * await c.dispose();
 */
export async function startCluster(replicas: number): Promise<ClusterUnderTest> {
  const clusterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handson-cluster-'));
  // PostgreSQL runs as the postgres user, which must reach its data directory inside.
  fs.chmodSync(clusterDir, 0o755);
  const env = { ...process.env, HANDSON_CLUSTER_DIR: clusterDir, HANDSON_WARM_POOL: '0' };
  const cluster = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [bin, 'cluster', ...args], {
      env,
      timeout: 300_000,
    });
    return stdout;
  };
  let status: ClusterStatus;
  try {
    status = JSON.parse(
      await cluster('up', '--replicas', String(replicas), '--json'),
    ) as ClusterStatus;
  } catch (error) {
    await cluster('down').catch(() => undefined);
    fs.rmSync(clusterDir, { recursive: true, force: true });
    throw error;
  }
  return {
    status,
    lb: `http://127.0.0.1:${status.lb.port}`,
    cluster,
    async sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
      const client = new pg.Client({ connectionString: status.postgres.url });
      await client.connect();
      try {
        return (await client.query<R>(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    async dispose() {
      await cluster('down').catch(() => undefined);
      fs.rmSync(clusterDir, { recursive: true, force: true });
    },
  };
}
