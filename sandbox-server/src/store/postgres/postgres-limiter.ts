import type pg from 'pg';
import { RateLimiter } from '../rate-limiter.ts';
import type { Limiter, RateLimit, RateVerdict, WhenStoreFails } from '../rate-limits.ts';

/** The longest a request waits for its bucket before the limit's `WhenStoreFails` decides. */
const STORE_DEADLINE_MS = 2000;

/** How often each limiter deletes the buckets that are full again. */
const PRUNE_EVERY_MS = 10_000;

/**
 * The most buckets one limit keeps (~100 bytes each): past it, a prune drops those nearest to
 * full. A flood from a whole IPv6 range can then give honest addresses a fresh budget early,
 * never a stricter one, and the table stays small whatever the flood.
 */
const MAX_BUCKETS = 100_000;

/** A tolerance for floating-point sums of intervals (ms): the burst-th token is never refused. */
const EPSILON_MS = 0.5;

/**
 * One token bucket per key in the `rate_buckets` table, so every replica on the database spends
 * the same budget. A bucket is stored as the time it is full again (`full_at`; the generic cell
 * rate algorithm): taking a token moves it one interval later, allowed while it stays within
 * `burst` intervals of now. One atomic upsert per take, so replicas racing on an address never
 * both spend its last token. Every 10 s the buckets full again are deleted (the table holds the
 * keys that took a token in the last `burst` intervals, at most a minute for today's limits) and
 * at most `MAX_BUCKETS` are kept, however many addresses a hostile client sends from.
 *
 * @example
 * const limiter = new PostgresLimiter(pool, 'session-create', { burst: 5, perMinute: 10 }, 'this-process');
 * await limiter.take('203.0.113.9'); // { allowed: true }
 */
export class PostgresLimiter implements Limiter {
  private readonly intervalMs: number;
  /** Where `this-process` falls back while the store does not answer. */
  private readonly local: RateLimiter;
  private prunedAt = 0;
  private failing = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly name: string,
    private readonly limit: RateLimit,
    private readonly whenStoreFails: WhenStoreFails,
    private readonly opts: {
      now?: () => number;
      log?: (message: string) => void;
      deadlineMs?: number;
      maxBuckets?: number;
    } = {},
  ) {
    this.intervalMs = 60_000 / limit.perMinute;
    this.local = new RateLimiter(limit, opts.now);
  }

  async take(key: string): Promise<RateVerdict> {
    const now = (this.opts.now ?? Date.now)();
    try {
      const verdict = await withDeadline(
        this.takeShared(key, now),
        this.opts.deadlineMs ?? STORE_DEADLINE_MS,
      );
      if (this.failing) this.report(`${this.name}: the shared limit answers again`);
      this.failing = false;
      this.maybePrune(now);
      return verdict;
    } catch (error) {
      if (!this.failing) {
        this.report(
          `${this.name}: the shared limit failed (${(error as Error).message}); ${
            this.whenStoreFails === 'refuse'
              ? 'refusing until it answers'
              : "counting in this replica's memory until it answers"
          }`,
        );
      }
      this.failing = true;
      if (this.whenStoreFails === 'this-process') return this.local.take(key);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(this.intervalMs / 1000)) };
    }
  }

  private async takeShared(key: string, now: number): Promise<RateVerdict> {
    const span = this.limit.burst * this.intervalMs + EPSILON_MS;
    // A refused take leaves the row as it was; the second SELECT reads it for the wait.
    const { rows } = await this.pool.query<{ allowed: boolean; full_at: number | null }>(
      `WITH taken AS (
         INSERT INTO rate_buckets AS b (limiter, key, full_at) VALUES ($1, $2, $3::float8 + $4::float8)
         ON CONFLICT (limiter, key) DO UPDATE SET full_at = GREATEST(b.full_at, $3::float8) + $4::float8
         WHERE GREATEST(b.full_at, $3::float8) + $4::float8 - $3::float8 <= $5::float8
         RETURNING full_at
       )
       SELECT EXISTS (SELECT 1 FROM taken) AS allowed,
              (SELECT full_at FROM rate_buckets WHERE limiter = $1 AND key = $2) AS full_at`,
      [this.name, key, now, this.intervalMs, span],
    );
    const row = rows[0]!;
    if (row.allowed) return { allowed: true };
    // The next token comes once the bucket is `burst - 1` intervals from full; a row another
    // replica inserted a moment ago is not visible yet: one interval then.
    const waitMs =
      row.full_at === null
        ? this.intervalMs
        : row.full_at - (this.limit.burst - 1) * this.intervalMs - now;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /**
   * Every 10 s, in the background: delete this limiter's buckets that are full again, and
   * beyond the newest `MAX_BUCKETS` those nearest to full (the index walks at most that many).
   */
  private maybePrune(now: number): void {
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    this.pool
      .query(
        `DELETE FROM rate_buckets WHERE limiter = $1 AND (full_at <= $2 OR full_at <= (
           SELECT full_at FROM rate_buckets WHERE limiter = $1
           ORDER BY full_at DESC OFFSET $3 LIMIT 1))`,
        [this.name, now, this.opts.maxBuckets ?? MAX_BUCKETS],
      )
      .catch((error: Error) => this.report(`${this.name}: pruning buckets: ${error.message}`));
  }

  private report(message: string): void {
    (this.opts.log ?? ((m: string) => process.stderr.write(`handson: ${m}\n`)))(message);
  }
}

/** `work`, or a rejection once `ms` have passed (the work itself is left to finish). */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
