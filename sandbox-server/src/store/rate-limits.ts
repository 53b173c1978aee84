/** A token bucket's size: `burst` at once, refilled at `perMinute`. */
export interface RateLimit {
  burst: number;
  perMinute: number;
}

/** A limiter's answer: go ahead, or wait this many seconds. */
export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * What a limiter backed by a shared store does when the store does not answer: `refuse` (fail
 * closed: the request is refused, the store's budget unknown) or `this-process` (fall back to
 * a bucket in this process's memory: bounded, at most one budget per replica, as before replicas
 * shared theirs). Each limit chooses where it is made, and says why.
 */
export type WhenStoreFails = 'refuse' | 'this-process';

/**
 * A token bucket per key (a client address, or `*` for everyone). Where the buckets live is the
 * store's choice (`Store.limiter`): this process's memory for SQLite (one server per database,
 * no store round-trip), a table every replica shares for Postgres (one budget per key for the
 * whole cluster).
 *
 * @example
 * const limiter = store.limiter('session-create', { burst: 5, perMinute: 10 }, 'this-process');
 * const r = await limiter.take(clientAddress(c));
 * if (!r.allowed) reply429(r.retryAfterSeconds);
 */
export interface Limiter {
  /** Take one token from `key`'s bucket, or say how long until there is one. */
  take(key: string): RateVerdict | Promise<RateVerdict>;
}
