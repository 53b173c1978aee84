import { execFile } from 'node:child_process';
import { chmod, cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { ClusterStatus } from '../../cluster/cluster.ts';

const run = promisify(execFile);

/**
 * A cluster of the bench's own — `handson cluster up` run as an operator runs it, in a fresh
 * HANDSON_CLUSTER_DIR on free ports, so neither an operator's server nor another cluster on this
 * machine is touched — and what the bench asks of it: which replica owns which session, a
 * replica killed, `cluster down`.
 *
 * @example
 * const cluster = await BenchCluster.up(projectRoot, 2);
 * try { await fetch(`${cluster.url}/healthz`); } finally { await cluster.down(); }
 */
export class BenchCluster {
  private constructor(
    private readonly bin: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly dir: string,
    readonly status: ClusterStatus,
  ) {}

  /** The load balancer's URL: every learner's way in. */
  get url(): string {
    return `http://127.0.0.1:${this.status.lb.port}`;
  }

  /**
   * `cluster up --replicas <replicas>` in a new directory (warm pool off: the workshop boots its
   * seats ahead). On failure whatever started is stopped again.
   */
  static async up(projectRoot: string, replicas: number): Promise<BenchCluster> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'handson-bench-cluster-'));
    // PostgreSQL runs as the postgres user, which must reach its data directory inside.
    await chmod(dir, 0o755);
    const bin = path.join(projectRoot, 'sandbox-server', 'bin', 'handson.js');
    const env = { ...process.env, HANDSON_CLUSTER_DIR: dir, HANDSON_WARM_POOL: '0' };
    try {
      const { stdout } = await run(
        process.execPath,
        [bin, 'cluster', 'up', '--replicas', String(replicas), '--json'],
        { env, timeout: 300_000 },
      );
      return new BenchCluster(bin, env, dir, JSON.parse(stdout) as ClusterStatus);
    } catch (error) {
      await run(process.execPath, [bin, 'cluster', 'down'], { env, timeout: 120_000 }).catch(
        () => undefined,
      );
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Which replica owns each of `sessionIds` now, from the cluster's database. */
  async owners(sessionIds: readonly string[]): Promise<Map<string, string>> {
    const client = new pg.Client({ connectionString: this.status.postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ session_id: string; replica: string }>(
        'SELECT session_id, replica FROM session_owners WHERE session_id = ANY($1)',
        [sessionIds],
      );
      return new Map(rows.map((r) => [r.session_id, r.replica]));
    } finally {
      await client.end();
    }
  }

  /** `cluster down` (every process of it stops; it fails if one does not), then its directory goes. */
  async down(): Promise<void> {
    await run(process.execPath, [this.bin, 'cluster', 'down'], {
      env: this.env,
      timeout: 120_000,
    });
    // The replicas' and HAProxy's logs, for finding out why a run went wrong.
    const keep = process.env.HANDSON_BENCH_CLUSTER_LOGS;
    if (keep)
      await cp(path.join(this.dir, 'logs'), keep, { recursive: true }).catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
