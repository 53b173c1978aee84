/**
 * Pure time arithmetic for a session's two clocks: the TTL (a hard end, pushed back by
 * `extend`) and the idle timeout (pushed back by activity). Kept apart so it is tested alone.
 */
export interface Clocks {
  expiresAt: number;
  lastActivityAt: number;
}

/** When the idle timeout ends the session. */
export function idleExpiresAt(c: Clocks, idleMs: number): number {
  return c.lastActivityAt + idleMs;
}

/**
 * Why the session is over at `now`, or undefined while it lives.
 *
 * @example
 * expiryReason({ expiresAt: 10, lastActivityAt: 0 }, 100, 20) // 'ttl'
 */
export function expiryReason(c: Clocks, idleMs: number, now: number): 'ttl' | 'idle' | undefined {
  if (now >= c.expiresAt) return 'ttl';
  if (now >= idleExpiresAt(c, idleMs)) return 'idle';
  return undefined;
}

/** When the session ends if nothing happens: the earlier of the two clocks. */
export function endsAt(c: Clocks, idleMs: number): number {
  return Math.min(c.expiresAt, idleExpiresAt(c, idleMs));
}

/**
 * The clocks after `extend`: a full TTL from now but never past `latest` (the session's maximum
 * lifetime), and never earlier than before; activity now.
 *
 * @example
 * extended({ expiresAt: 50, lastActivityAt: 0 }, 100, 40, 120) // { expiresAt: 120, lastActivityAt: 40 }
 */
export function extended(
  c: Clocks,
  ttlMs: number,
  now: number,
  latest = Number.POSITIVE_INFINITY,
): Clocks {
  return {
    expiresAt: Math.max(c.expiresAt, Math.min(now + ttlMs, latest)),
    lastActivityAt: now,
  };
}

/** A person-readable reason, shown in GET's `message`. */
export function expiryMessage(reason: 'ttl' | 'idle' | 'gone'): string {
  switch (reason) {
    case 'ttl':
      return 'The session reached its time limit and its sandbox was removed. Go to a step (POST …/goto) or reset to get a fresh sandbox.';
    case 'idle':
      return 'The session was idle too long and its sandbox was removed. Go to a step (POST …/goto) or reset to get a fresh sandbox.';
    case 'gone':
      return 'The sandbox of this session no longer exists on the engine. Go to a step (POST …/goto) or reset to get a fresh sandbox.';
  }
}
