import { RateLimiter } from '../sessions/rate-limiter.ts';

/**
 * How many unknown join codes the server answers `404` before it answers `429`: per address
 * (one classmate guessing) and for the whole server (many addresses guessing together). Only
 * wrong codes spend it, so the right code always joins: a classmate who uses it up blocks no
 * one, and guessing an eight-character code stays hopeless.
 *
 * @example
 * const budget = new WrongCodeBudget();
 * const wait = budget.spend(clientAddress(c)); // after a code turned out unknown
 * if (wait > 0) reply429(wait); else reply404();
 */
export class WrongCodeBudget {
  private readonly perAddress: RateLimiter;
  private readonly everyone: RateLimiter;

  constructor(
    limits = {
      perAddress: { burst: 10, perMinute: 10 },
      everyone: { burst: 100, perMinute: 60 },
    },
    now: () => number = Date.now,
  ) {
    this.perAddress = new RateLimiter(limits.perAddress, now);
    this.everyone = new RateLimiter(limits.everyone, now);
  }

  /** Spend one wrong code from `address`: 0 while within budget, else seconds to wait. */
  spend(address: string): number {
    const mine = this.perAddress.take(address);
    if (!mine.allowed) return mine.retryAfterSeconds;
    const all = this.everyone.take('*');
    return all.allowed ? 0 : all.retryAfterSeconds;
  }
}
