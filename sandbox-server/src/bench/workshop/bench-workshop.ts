import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { WorkshopView } from '#contracts/workshop.ts';
import { loadConfig } from '../../config.ts';
import { adminToken } from '../../workshops/admin-token.ts';
import { BENCH_LESSON } from './class-activity.ts';
import { ServerChild } from './server-child.ts';

export interface BenchWorkshop {
  server: ServerChild;
  workshop: WorkshopView;
  /** The sandboxes engine's cgroup parent (what the sandboxes' memory is read from). */
  cgroupParent: string;
  /** Ends the workshop (every learner's sandbox goes), stops the server, removes its database. */
  close(): Promise<void>;
}

/**
 * A handson server in a process of its own with a throwaway database, and a workshop of `seats`
 * on it whose sandboxes are booting ahead (`server.settled()` waits for them).
 *
 * @example
 * const bench = await openBenchWorkshop(20, 'fairness');
 * try { await bench.server.settled(); } finally { await bench.close(); }
 */
export async function openBenchWorkshop(seats: number, title: string): Promise<BenchWorkshop> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handson-bench-workshop-'));
  const config = { ...loadConfig(), database: path.join(dir, 'handson.sqlite') };
  const admin = adminToken(config);
  // A process of its own, as an operator runs it (server-process.ts says why).
  const server = await ServerChild.start({
    database: config.database,
    maxSandboxes: seats + 5,
    // The server's own log, for finding out why a run failed.
    logFile: process.env.HANDSON_BENCH_SERVER_LOG,
  });
  let workshop: WorkshopView | undefined;
  const close = async () => {
    if (workshop) {
      await fetch(`${server.url}/api/workshops/${workshop.id}/end`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}` },
      }).catch(() => undefined);
    }
    await server.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    workshop = await createBenchWorkshop(server.url, admin, seats, title);
  } catch (error) {
    await close();
    throw error;
  }
  return { server, workshop, cgroupParent: config.engine.cgroupParent, close };
}

/**
 * A workshop of `seats` for the bench lesson, an hour long, created through the API as an
 * instructor does.
 *
 * @example
 * const workshop = await createBenchWorkshop(cluster.url, admin, 100, 'failover bench');
 */
export async function createBenchWorkshop(
  base: string,
  admin: string,
  seats: number,
  title: string,
): Promise<WorkshopView> {
  const res = await fetch(`${base}/api/workshops`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      lessons: [BENCH_LESSON],
      durationMinutes: 60,
      maxLearners: seats,
      title,
    }),
  });
  if (res.status !== 201) throw new Error(`create workshop: ${res.status} ${await res.text()}`);
  return (await res.json()) as WorkshopView;
}
