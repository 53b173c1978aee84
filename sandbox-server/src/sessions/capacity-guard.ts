import { DomainError } from '../http/domain-error.ts';
import type { SessionRow, SessionState } from '../store/session-repository.ts';
import { endsAt } from './lifetimes.ts';

interface Counted {
  readonly state: SessionState;
  readonly row: SessionRow;
}

/** Sessions holding (or getting) a sandbox: what capacity counts. */
export function activeSessions(sessions: Iterable<Counted>): number {
  let n = 0;
  for (const s of sessions) if (s.state === 'starting' || s.state === 'ready') n++;
  return n;
}

/**
 * Throws at_capacity, with when a slot is likely to free up, when one more sandbox would pass
 * `capacity`; `held` seats (promised to workshops) count as taken.
 *
 * @example
 * ensureRoom(manager.live.values(), 100, settings.idleMs, Date.now());
 */
export function ensureRoom(
  sessions: Iterable<Counted>,
  capacity: number,
  idleMs: number,
  now: number,
  held = 0,
): void {
  const all = [...sessions];
  if (activeSessions(all) + held < capacity) return;
  let soonest = Number.POSITIVE_INFINITY;
  for (const s of all) {
    if (s.state === 'starting' || s.state === 'ready') {
      soonest = Math.min(soonest, endsAt(s.row, idleMs));
    }
  }
  // Tell the client when a slot is likely to free up, within sensible bounds.
  const retryAfter = Math.min(300, Math.max(5, Math.ceil((soonest - now) / 1000)));
  throw new DomainError(
    'at_capacity',
    'at_capacity',
    held > 0
      ? `All ${capacity} sandboxes on this server are in use or kept for workshops (${held}). Try again in about ${retryAfter} s.`
      : `All ${capacity} sandboxes on this server are in use. Try again in about ${retryAfter} s.`,
    { retryAfterSeconds: retryAfter },
  );
}
