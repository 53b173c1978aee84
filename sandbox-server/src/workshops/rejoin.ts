import { DomainError } from '../http/domain-error.ts';
import { hashToken, newToken, tokenMatches } from '../sessions/token.ts';

/**
 * Re-joining a workshop as the same person takes the learner id *and* a secret from the
 * previous join: a learner id shows up in places (cookies, the dashboard, logs), and alone it
 * would hand over someone's session. Only the secret's hash is stored.
 *
 * Learners who joined before secrets existed have none stored: their next re-join by learner
 * id alone is accepted once and gives them a secret, which every later re-join needs.
 */

/** A fresh secret for the learner, and the hash to store. */
export function newRejoinSecret(): { secret: string; hash: string } {
  const secret = newToken();
  return { secret, hash: hashToken(secret) };
}

/**
 * Throws `403 rejoin_refused` unless `secret` matches the stored hash (or nothing is stored yet).
 *
 * @example
 * assertMayRejoin(learner.rejoinHash, body.secret);
 */
export function assertMayRejoin(storedHash: string | null, secret: string | undefined): void {
  if (storedHash === null) return;
  if (secret !== undefined && tokenMatches(secret, storedHash)) return;
  throw new DomainError(
    'forbidden',
    'rejoin_refused',
    'Re-joining as this learner needs the secret your browser got when it joined. Join again under another name, or ask your instructor.',
  );
}
