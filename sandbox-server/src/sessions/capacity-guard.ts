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

/** Seconds a client waits before asking again for a sandbox refused for disk space. */
const DISK_RETRY_AFTER_S = 60;

/**
 * Throws disk_low (503 + Retry-After) when the driver says why it would refuse a new sandbox
 * (its disk pool under the watermark): said at once, rather than as a session that fails a
 * moment later.
 *
 * @example
 * ensureSandboxAdmitted(driver.refusesNewSandbox?.());
 */
export function ensureSandboxAdmitted(refusal: string | undefined): void {
  if (!refusal) return;
  // Space comes back as learners leave; a minute is a fair time to look again.
  throw new DomainError('at_capacity', 'disk_low', refusal, {
    retryAfterSeconds: DISK_RETRY_AFTER_S,
  });
}
