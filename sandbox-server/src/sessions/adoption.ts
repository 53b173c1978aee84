import type { SandboxDriver } from '../sandbox/driver.ts';
import type { SessionRepository } from '../store/session-repository.ts';
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
  opts: {
    serverId: string;
    now?: () => number;
    /** Sandboxes some session names (replicas: another replica's), never orphans. */
    referenced?: ReadonlySet<string>;
  },
): Promise<AdoptionReport> {
  const now = opts.now ?? Date.now;
  const report: AdoptionReport = { adopted: [], expired: [], restarted: [], orphansDestroyed: [] };
  const owned = new Set<string>();
  const toRestart: LiveSession[] = [];
  for (const row of await repo.list()) {
    const s = new LiveSession(row, repo, now);
    manager.live.set(s.id, s);
    if (row.state === 'expired') continue;
    const found = expiryReason(row, manager.settings.idleMs, now());
    // Workshop sessions end with their workshop, never for idleness (see SessionManager.reap).
    const reason = found === 'idle' && row.workshopId ? undefined : found;
    if (reason) {
      if (row.sandboxId) owned.add(row.sandboxId);
      await manager.expire(s, reason);
      report.expired.push(s.id);
      continue;
    }
    if (row.driver !== driver.name) {
      // Another driver's sandbox cannot be reached from here; the session comes back via goto/reset.
      await manager.expire(s, 'gone');
      report.expired.push(s.id);
      continue;
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
  }
  for (const record of await driver.list()) {
    // Sandboxes of another server (or of `handson verify`) on the same engine are not ours.
    if (owned.has(record.id) || record.labels[SERVER_LABEL] !== opts.serverId) continue;
    if (opts.referenced?.has(record.id)) continue;
    await manager.destroyQuietly(record.id);
    report.orphansDestroyed.push(record.id);
  }
  // Only now: a sandbox created for these must not be mistaken for an orphan above.
  for (const s of toRestart) {
    manager.provision(
      s,
      s.row.lesson && s.row.step ? { lesson: s.row.lesson, step: s.row.step } : undefined,
    );
    report.restarted.push(s.id);
  }
  return report;
}
