import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { HandsonConfig } from '../config.ts';

/**
 * What `handson cluster up` chose, so `status`, `down` and the next `up` find the same ports:
 * the load balancer's port, each replica's port (also its identity), the database URL.
 */
const clusterStateSchema = z.object({
  lbPort: z.number().int().min(1).max(65535),
  replicaPorts: z.array(z.number().int().min(1).max(65535)),
  postgresUrl: z.string(),
});

export type ClusterState = z.infer<typeof clusterStateSchema>;

export function clusterStateFile(cfg: HandsonConfig): string {
  return path.join(cfg.clusterDir, 'cluster.json');
}

/** The saved state, or undefined when no cluster was ever brought up here (or the file is bad). */
export function readClusterState(cfg: HandsonConfig): ClusterState | undefined {
  try {
    return clusterStateSchema.parse(JSON.parse(fs.readFileSync(clusterStateFile(cfg), 'utf8')));
  } catch {
    return undefined;
  }
}

export function writeClusterState(cfg: HandsonConfig, state: ClusterState): void {
  const file = clusterStateFile(cfg);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}
