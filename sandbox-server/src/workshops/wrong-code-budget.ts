import { RateLimiter } from '../store/rate-limiter.ts';
import type { Limiter, RateLimit } from '../store/rate-limits.ts';

/** The wrong-code budgets: per address (one classmate guessing) and for everyone together. */
export const WRONG_CODE_LIMITS = {
  perAddress: { burst: 10, perMinute: 10 },
  everyone: { burst: 100, perMinute: 60 },
} as const satisfies Record<string, RateLimit>;

/**
 * How many unknown join codes the server answers `404` before it answers `429`: per address
 * (one classmate guessing) and for the whole server (many addresses guessing together). Only
 * wrong codes spend it, so the right code always joins: a classmate who uses it up blocks no
 * one, and guessing an eight-character code stays hopeless. The limiters come from the store
 * (`Store.limiter`), so replicas share one budget; by default, this process's memory.
 *
 * @example
 * const budget = new WrongCodeBudget();
 * const wait = await budget.spend(clientAddress(c)); // after a code turned out unknown
 * if (wait > 0) reply429(wait); else reply404();
 */
export class WrongCodeBudget {
  constructor(
    private readonly limiters: { perAddress: Limiter; everyone: Limiter } = {
      perAddress: new RateLimiter(WRONG_CODE_LIMITS.perAddress),
      everyone: new RateLimiter(WRONG_CODE_LIMITS.everyone),
    },
  ) {}

  /** Spend one wrong code from `address`: 0 while within budget, else seconds to wait. */
  async spend(address: string): Promise<number> {
    const mine = await this.limiters.perAddress.take(address);
    if (!mine.allowed) return mine.retryAfterSeconds;
    const all = await this.limiters.everyone.take('*');
    return all.allowed ? 0 : all.retryAfterSeconds;
  }
}
