import type { Limiter, RateLimit, RateVerdict } from './rate-limits.ts';

/**
 * A token bucket per client in this process's memory: `burst` requests at once, refilled at
 * `perMinute`. Buckets that are full again are forgotten, so memory stays bounded by the
 * clients active in the last minute. The per-session limits use it directly, and so does a
 * SQLite store's `limiter` (one server per database: nothing to share).
 *
 * @example
 * const limit = new RateLimiter({ burst: 5, perMinute: 10 });
 * const r = limit.take('127.0.0.1');
 * if (!r.allowed) reply429(r.retryAfterSeconds);
 */
export class RateLimiter implements Limiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly refillPerMs: number;
  private prunedAt = 0;

  constructor(
    private readonly opts: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.refillPerMs = opts.perMinute / 60_000;
  }

  take(key: string): RateVerdict {
    const now = this.now();
    this.prune(now);
    const b = this.buckets.get(key) ?? { tokens: this.opts.burst, at: now };
    const tokens = Math.min(this.opts.burst, b.tokens + (now - b.at) * this.refillPerMs);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return { allowed: true };
    }
    this.buckets.set(key, { tokens, at: now });
    return { allowed: false, retryAfterSeconds: Math.ceil((1 - tokens) / this.refillPerMs / 1000) };
  }

  /** Whether `key` has no token left, without taking one: seconds until it has, or 0. */
  waitFor(key: string): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    const tokens = Math.min(this.opts.burst, b.tokens + (this.now() - b.at) * this.refillPerMs);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.refillPerMs / 1000);
  }

  /** Number of clients currently tracked (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private prune(now: number): void {
    if (now - this.prunedAt < 1000) return;
    this.prunedAt = now;
    // A bucket refilled to `burst` is the same as no bucket.
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.refillPerMs >= this.opts.burst) this.buckets.delete(key);
    }
  }
}
