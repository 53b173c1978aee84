import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Session ids and bearer tokens. Only a token's sha256 is stored, so a leaked database does not
 * let anyone into a learner's sandbox.
 */

/** A new session id: 20 lowercase hex characters, safe in container names and URLs. */
export function newSessionId(): string {
  return randomBytes(10).toString('hex');
}

/** A new bearer token: 32 random bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The stored form of a token.
 *
 * @example
 * hashToken('abc') // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether `token` hashes to `storedHash`, compared in constant time. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
