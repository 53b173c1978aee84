import type { SandboxDriver } from '../sandbox/driver.ts';
import type { SessionRepository, SessionRow } from '../store/session-repository.ts';
import { expiryReason } from './lifetimes.ts';
import { LiveSession } from './session.ts';
import type { SessionManager } from './session-manager.ts';

/** The label naming the server (its database) that created a sandbox. */
export const SERVER_LABEL = 'dev.handson.server';

export interface AdoptionReport {
  adopted: string[];
  expired: string[];
  restarted: string[];
  orphansDestroyed: string[];
}

/** Sandboxes looked up and re-attached at once: the engine answers a few inspects in parallel. */
const ADOPT_CONCURRENCY = 8;

export interface AdoptionOptions {
  serverId: string;
  now?: () => number;
  /** Sandboxes some session names (replicas: another replica's), never orphans. */
  referenced?: ReadonlySet<string>;
}

/**
 * After a (re)start: load the store's sessions, re-attach the live ones' sandboxes, expire the
 * ones past their time, destroy labelled sandboxes no session owns, and restart sandboxes whose
 * creation a previous server left half done. Run it before the warm pool starts filling, or the
 * pool's fresh sandboxes would look like orphans.
 *
 * @example
 * const report = await adoptSessions(manager, repo, driver, { serverId });
 * log(`${report.adopted.length} sessions re-adopted`);
 */
export async function adoptSessions(
  manager: SessionManager,
  repo: SessionRepository,
  driver: SandboxDriver,
  opts: AdoptionOptions,
): Promise<AdoptionReport> {
  const report: AdoptionReport = { adopted: [], expired: [], restarted: [], orphansDestroyed: [] };
  const { owned, toRestart } = await adoptRows(manager, repo, driver, opts, report);
  report.orphansDestroyed = await removeOrphans(manager, driver, opts, owned);
  // Only now: a sandbox created for these must not be mistaken for an orphan above.
  restart(manager, toRestart, report);
  return report;
}

/**
 * A dead replica's sessions taken over by a live one: adopted as after a restart, but its
 * left-over sandboxes (labelled `opts.serverId`, the dead one's) are removed only when
 * `removeOrphans()` is called, so learners waiting for their session are not kept waiting for
 * that. Half-done sessions restart here at once: their new sandboxes carry this replica's label,
 * never the dead one's, so they are never taken for its orphans.
 *
 * @example
 * const { report, removeOrphans } = await takeOverSessions(manager, rows, driver, { serverId });
 * void removeOrphans();
 */
export async function takeOverSessions(
  manager: SessionManager,
  repo: SessionRepository,
  driver: SandboxDriver,
  opts: AdoptionOptions,
): Promise<{ report: AdoptionReport; removeOrphans: () => Promise<string[]> }> {
  const report: AdoptionReport = { adopted: [], expired: [], restarted: [], orphansDestroyed: [] };
  const { owned, toRestart } = await adoptRows(manager, repo, driver, opts, report);
  restart(manager, toRestart, report);
  return { report, removeOrphans: () => removeOrphans(manager, driver, opts, owned) };
}

/** Every row of `repo` becomes a live session: adopted, expired, or left to restart. */
async function adoptRows(
  manager: SessionManager,
  repo: SessionRepository,
  driver: SandboxDriver,
  opts: AdoptionOptions,
  report: AdoptionReport,
): Promise<{ owned: Set<string>; toRestart: LiveSession[] }> {
  const now = opts.now ?? Date.now;
  const owned = new Set<string>();
  const toRestart: LiveSession[] = [];
  const adoptOne = async (row: SessionRow): Promise<void> => {
    const s = new LiveSession(row, repo, now);
    manager.live.set(s.id, s);
    if (row.state === 'expired') return;
    const found = expiryReason(row, manager.settings.idleMs, now());
    // Workshop sessions end with their workshop, never for idleness (see SessionManager.reap).
    const reason = found === 'idle' && row.workshopId ? undefined : found;
    if (reason) {
      if (row.sandboxId) owned.add(row.sandboxId);
      await manager.expire(s, reason);
      report.expired.push(s.id);
      return;
    }
    if (row.driver !== driver.name) {
      // Another driver's sandbox cannot be reached from here; the session comes back via goto/reset.
      await manager.expire(s, 'gone');
      report.expired.push(s.id);
      return;
    }
    if (row.sandboxId) {
      owned.add(row.sandboxId);
      const sandbox = await driver.get(row.sandboxId).catch(() => undefined);
      if (sandbox) {
        await s.adopt(sandbox);
        report.adopted.push(s.id);
      } else {
        await manager.expire(s, 'gone');
        report.expired.push(s.id);
      }
    } else if (row.state === 'starting') {
      toRestart.push(s);
    }
  };
  const rows = await repo.list();
  let next = 0;
  const worker = async () => {
    while (next < rows.length) await adoptOne(rows[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(ADOPT_CONCURRENCY, rows.length) }, worker));
  return { owned, toRestart };
}

/** Destroy the sandboxes labelled `opts.serverId` that no session owns or names; their ids. */
async function removeOrphans(
  manager: SessionManager,
  driver: SandboxDriver,
  opts: AdoptionOptions,
  owned: ReadonlySet<string>,
): Promise<string[]> {
  const destroyed: string[] = [];
  for (const record of await driver.list()) {
    // Sandboxes of another server (or of `handson verify`) on the same engine are not ours.
    if (owned.has(record.id) || record.labels[SERVER_LABEL] !== opts.serverId) continue;
    if (opts.referenced?.has(record.id)) continue;
    await manager.destroyQuietly(record.id);
    destroyed.push(record.id);
  }
  return destroyed;
}

/** Provision again the sessions whose creation a previous server left half done. */
function restart(manager: SessionManager, sessions: LiveSession[], report: AdoptionReport): void {
  for (const s of sessions) {
    manager.provision(
      s,
      s.row.lesson && s.row.step ? { lesson: s.row.lesson, step: s.row.step } : undefined,
    );
    report.restarted.push(s.id);
  }
}
