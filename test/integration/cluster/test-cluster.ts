import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ClusterStatus } from '../../../sandbox-server/src/cluster/cluster.ts';

const bin = path.resolve(import.meta.dirname, '../../../sandbox-server/bin/handson.js');
const run = promisify(execFile);

/** A cluster a spec runs for itself: its own directory, so an operator's cluster is left alone. */
export interface TestCluster {
  /** `handson cluster <args>` on this cluster's directory; its stdout. */
  cluster(...args: string[]): Promise<string>;
  /** Stop everything it runs and remove its directory. */
  remove(): Promise<void>;
}

/**
 * A directory for `handson cluster` as an operator runs it (Postgres, replicas and HAProxy on
 * this machine), with `env` added to every replica's environment (no warm pool by default).
 *
 * @example
 * const c = testCluster();
 * const status = JSON.parse(await c.cluster('up', '--replicas', '2', '--json')) as ClusterStatus;
 * await c.remove();
 */
export function testCluster(env: Record<string, string> = {}): TestCluster {
  const clusterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handson-cluster-'));
  // PostgreSQL runs as the postgres user, which must reach its data directory inside.
  fs.chmodSync(clusterDir, 0o755);
  const fullEnv = {
    ...process.env,
    HANDSON_CLUSTER_DIR: clusterDir,
    HANDSON_WARM_POOL: '0',
    ...env,
  };
  const cluster = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [bin, 'cluster', ...args], {
      env: fullEnv,
      timeout: 300_000,
    });
    return stdout;
  };
  return {
    cluster,
    async remove() {
      await cluster('down').catch(() => undefined);
      fs.rmSync(clusterDir, { recursive: true, force: true });
    },
  };
}

/** `cluster up --replicas n` on `c`, and its status. */
export async function clusterUp(c: TestCluster, replicas: number): Promise<ClusterStatus> {
  return JSON.parse(
    await c.cluster('up', '--replicas', String(replicas), '--json'),
  ) as ClusterStatus;
}
