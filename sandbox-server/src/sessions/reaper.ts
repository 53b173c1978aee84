import { setTimeout as sleep } from 'node:timers/promises';
import { expiryReason } from './lifetimes.ts';
import type { LiveSession } from './session.ts';
import type { SessionManager } from './session-manager.ts';
import type { SessionSettings } from './settings.ts';

/**
 * One sweep: expire the sessions in `live` past their TTL or idle timeout, forget those expired
 * longer than `keepExpiredMs` (in memory and in the store). Returns the ids expired.
 *
 * @example
 * await sweepSessions(manager.live, settings, Date.now(), { expire, purgeExpired });
 */
export async function sweepSessions(
  live: Map<string, LiveSession>,
  settings: Pick<SessionSettings, 'idleMs' | 'keepExpiredMs'>,
  now: number,
  act: {
    expire: (s: LiveSession, reason: 'ttl' | 'idle') => Promise<void>;
    purgeExpired: (before: number) => Promise<unknown>;
  },
): Promise<string[]> {
  const expired: string[] = [];
  for (const s of [...live.values()]) {
    if (s.state === 'expired') {
      if (now - s.row.lastActivityAt > settings.keepExpiredMs) live.delete(s.id);
      continue;
    }
    const reason = expiryReason(s.row, settings.idleMs, now);
    // A sandbox still starting is the server's slowness, not the learner's idleness; a
    // workshop learner away at a break keeps their sandbox until the workshop ends.
    if (!reason || (reason === 'idle' && (s.state === 'starting' || s.row.workshopId))) continue;
    expired.push(s.id);
    await act.expire(s, reason);
  }
  await act.purgeExpired(now - settings.keepExpiredMs);
  return expired;
}

/**
 * Expire sessions every `intervalMs` until `signal` aborts (then `afterSweep`, for whatever
 * the freed sandboxes make room for). The only timer is the awaited
 * sleep, which the signal cancels, so stopping the server leaves nothing scheduled.
 *
 * @example
 * const stop = new AbortController();
 * const done = runReaper(manager, 15_000, stop.signal);
 * stop.abort(); await done;
 */
export async function runReaper(
  manager: SessionManager,
  intervalMs: number,
  signal: AbortSignal,
  log: (message: string) => void = () => {},
  afterSweep: () => unknown = () => {},
): Promise<void> {
  while (!signal.aborted) {
    try {
      await sleep(intervalMs, undefined, { signal });
    } catch {
      return; // aborted
    }
    try {
      await manager.reap();
    } catch (error) {
      // A failing sweep (engine briefly away) must not end the loop: the next one retries.
      log(`reaper: ${(error as Error).message}`);
    }
    try {
      await afterSweep();
    } catch (error) {
      log(`reaper: ${(error as Error).message}`);
    }
  }
}
