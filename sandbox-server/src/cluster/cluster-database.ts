import path from 'node:path';
import type { HandsonConfig } from '../config.ts';
import {
  ensurePostgres,
  type PostgresService,
  stopPostgres,
} from '../services/postgres-service.ts';
import type { ClusterDatabase } from './cluster.ts';

/** The cluster's own PostgreSQL: its data, socket and password under the cluster's directory. */
export function clusterPostgres(cfg: HandsonConfig, port: number): PostgresService {
  return {
    root: path.join(cfg.clusterDir, 'postgres'),
    port,
    logFile: path.join(cfg.clusterDir, 'logs', 'postgres.log'),
  };
}

/** The cluster's database service, through the project's PostgreSQL service. */
export const clusterDatabase: ClusterDatabase = {
  ensure: async (cfg, port) => (await ensurePostgres(clusterPostgres(cfg, port))).url,
  // Stopping reads the running server's pidfile: the port it was started on does not matter.
  stop: (cfg) => stopPostgres(clusterPostgres(cfg, 0)),
};
