import type { HandsonConfig } from '../config.ts';
import { ensureHaproxy, haproxyPid, stopHaproxy } from '../services/haproxy.ts';
import { freePort } from '../system/free-port.ts';
import {
  isAlive,
  logTail,
  runningPid,
  startManaged,
  stopManaged,
  waitFor,
} from '../system/managed-process.ts';
import { type ClusterState, readClusterState, writeClusterState } from './cluster-state.ts';
import { CLUSTER_PACKAGES, ensureDebianPackages } from './debian-packages.ts';
import { replicaId, replicaSpec } from './replica-process.ts';

/**
 * `handson cluster`: PostgreSQL, N `handson serve` replicas and HAProxy in front of them, on this
 * machine, as background services with pidfiles and logs (like the engine). `up` is idempotent:
 * what runs is kept, what died is started again on its old port.
 */

/** The cluster's database service (PostgreSQL with its own data directory, port and user). */
export interface ClusterDatabase {
  /** Start it unless it runs (on `port` when it starts); resolves to the URL replicas use. */
  ensure(cfg: HandsonConfig, port: number): Promise<string>;
  /** Stop it; the pid it stopped, or undefined when none ran. */
  stop(cfg: HandsonConfig): Promise<number | undefined>;
}

export interface ClusterStatus {
  lb: { port: number; pid: number | null };
  replicas: { id: string; pid: number | null; port: number; healthy: boolean }[];
  postgres: { url: string };
}

export interface ClusterUpOptions {
  replicas?: number;
  /** The load balancer's port; default the previous one, else a free one. */
  port?: number;
  log?: (message: string) => void;
}

/** How long a replica may take to answer `/healthz` (it re-adopts sessions first). */
const REPLICA_START_MS = 60_000;

/**
 * Bring the cluster up (or repair it): database, replicas, then the load balancer.
 *
 * @example
 * const status = await clusterUp(cfg, database, { replicas: 2 });
 * await fetch(`http://127.0.0.1:${status.lb.port}/healthz`);
 */
export async function clusterUp(
  cfg: HandsonConfig,
  database: ClusterDatabase,
  opts: ClusterUpOptions = {},
): Promise<ClusterStatus> {
  const log = opts.log ?? (() => undefined);
  const previous = readClusterState(cfg);
  const count = opts.replicas ?? previous?.replicaPorts.length ?? 2;
  if (!Number.isInteger(count) || count < 1 || count > 16) {
    throw new Error(`--replicas ${count}: a cluster has 1 to 16 replicas.`);
  }
  const installed = await ensureDebianPackages(CLUSTER_PACKAGES);
  if (installed.length > 0) log(`installed ${installed.join(', ')}`);
  const lbPort = opts.port ?? previous?.lbPort ?? (await freePort());
  const dbPort = (previous && urlPort(previous.postgresUrl)) || (await freePort());
  const postgresUrl = await database.ensure(cfg, dbPort);
  log(`postgres on 127.0.0.1:${urlPort(postgresUrl) ?? dbPort}`);

  const kept = previous?.replicaPorts.slice(0, count) ?? [];
  for (const port of previous?.replicaPorts.slice(count) ?? []) {
    const pid = await stopManaged(replicaSpec(cfg, { port, lbPort, postgresUrl }));
    if (pid !== undefined) log(`stopped replica on port ${port} (pid ${pid})`);
  }
  const replicaPorts = [...kept];
  while (replicaPorts.length < count) replicaPorts.push(await freePort());
  const state: ClusterState = { lbPort, replicaPorts, postgresUrl };
  writeClusterState(cfg, state);

  // Started together: each spends its first seconds loading and re-adopting.
  await Promise.all(
    replicaPorts.map(async (port) => {
      const spec = replicaSpec(cfg, { port, lbPort, postgresUrl });
      const { pid, adopted } = startManaged(spec);
      if (!adopted) log(`started replica on port ${port} (pid ${pid})`);
      const up = await waitFor(() => healthy(port), REPLICA_START_MS, {
        giveUpIf: () => !isAlive(pid),
        intervalMs: 250,
      });
      if (!up) {
        throw new Error(
          `The replica on 127.0.0.1:${port} ${isAlive(pid) ? 'does not answer /healthz' : 'exited'}. Last lines of ${spec.logFile}:\n${logTail(spec.logFile, 20)}`,
        );
      }
    }),
  );
  const lbPid = await ensureHaproxy(cfg, {
    port: lbPort,
    backends: replicaPorts.map((port) => ({ name: replicaId(port), port })),
  });
  log(`load balancer on http://127.0.0.1:${lbPort} (pid ${lbPid})`);
  return clusterStatus(cfg);
}

/**
 * What runs: the load balancer, each replica (its own pid, and whether `/healthz` answers 200)
 * and the database URL. Throws when no cluster was brought up here.
 */
export async function clusterStatus(cfg: HandsonConfig): Promise<ClusterStatus> {
  const state = readClusterState(cfg);
  if (!state) throw new Error('No cluster here: start one with `handson cluster up`.');
  return {
    lb: { port: state.lbPort, pid: haproxyPid(cfg) ?? null },
    replicas: await Promise.all(
      state.replicaPorts.map(async (port) => {
        const pid = runningPid(replicaSpec(cfg, { ...state, port }));
        return {
          id: replicaId(port),
          pid: pid ?? null,
          port,
          healthy: pid !== undefined && (await healthy(port)),
        };
      }),
    ),
    postgres: { url: state.postgresUrl },
  };
}

/**
 * Stop the load balancer, every replica (gracefully: sandboxes stay for the next `up`) and the
 * database; returns one line per process stopped.
 */
export async function clusterDown(
  cfg: HandsonConfig,
  database: ClusterDatabase,
): Promise<string[]> {
  const state = readClusterState(cfg);
  const lines: string[] = [];
  const lbPid = await stopHaproxy(cfg);
  if (lbPid !== undefined) lines.push(`stopped the load balancer (pid ${lbPid})`);
  if (state) {
    const stopped = await Promise.all(
      state.replicaPorts.map(async (port) => ({
        port,
        pid: await stopManaged(replicaSpec(cfg, { ...state, port }), { graceMs: 20_000 }),
      })),
    );
    for (const { port, pid } of stopped) {
      if (pid !== undefined) lines.push(`stopped replica on port ${port} (pid ${pid})`);
    }
  }
  const dbPid = await database.stop(cfg);
  if (dbPid !== undefined) lines.push(`stopped postgres (pid ${dbPid})`);
  return lines;
}

/** The port of a database URL, or undefined when it names none. */
function urlPort(url: string): number | undefined {
  try {
    return Number(new URL(url).port) || undefined;
  } catch {
    return undefined;
  }
}

/** Whether the replica on `port` answers `/healthz` with 200. */
async function healthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
      signal: AbortSignal.timeout(3_000),
    });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}
