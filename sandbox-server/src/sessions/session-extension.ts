import { DomainError } from '../http/domain-error.ts';
import type { SessionRow } from '../store/session-repository.ts';
import { type Clocks, extended } from './lifetimes.ts';
import type { SessionSettings } from './settings.ts';

/**
 * The clocks of a session the learner extends: a full TTL from `now`, never past its maximum
 * lifetime. Throws `session_expired` for an expired session and `max_lifetime` (both 409) when
 * the maximum is reached already, so the page can tell the learner to start a new session.
 *
 * @example
 * await s.patch(extensionOf(s.row, settings, Date.now()));
 */
export function extensionOf(
  row: SessionRow,
  settings: Pick<SessionSettings, 'ttlMs' | 'maxLifetimeMs'>,
  now: number,
): Clocks {
  if (row.state === 'expired') {
    throw new DomainError(
      'conflict',
      'session_expired',
      row.message ?? 'This session has expired.',
    );
  }
  const latest = row.createdAt + settings.maxLifetimeMs;
  const clocks = extended(row, settings.ttlMs, now, latest);
  if (clocks.expiresAt >= latest && row.expiresAt >= latest) {
    throw new DomainError(
      'conflict',
      'max_lifetime',
      `This session cannot be extended past its maximum lifetime (${new Date(latest).toISOString()}). Start a new session to keep going; your progress is kept.`,
    );
  }
  return clocks;
}
