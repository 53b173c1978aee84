import type { AttemptRepository } from './attempt-repository.ts';

/** How long and how many Check attempts are kept. */
export interface AttemptRetentionPolicy {
  /** Attempts older than this are deleted. */
  maxAgeMs: number;
  /** Of each learner's step, only the newest this many are kept. */
  keepPerStep: number;
  /** Pruning scans the table: at most this often. */
  everyMs: number;
}

export const DEFAULT_ATTEMPT_RETENTION: AttemptRetentionPolicy = {
  maxAgeMs: 30 * 24 * 3600 * 1000,
  keepPerStep: 50,
  everyMs: 3600 * 1000,
};

/**
 * The retention policy of the Check history, run by the reaper: every sweep may call
 * `maybePrune`, which prunes at most every `everyMs`, so a learner pressing Check in a loop
 * cannot grow the database without bound.
 *
 * @example
 * const retention = new AttemptRetention(attempts);
 * runReaper(manager, 15_000, signal, log, () => retention.maybePrune());
 */
export class AttemptRetention {
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly attempts: AttemptRepository,
    private readonly policy: AttemptRetentionPolicy = DEFAULT_ATTEMPT_RETENTION,
    private readonly now: () => number = Date.now,
  ) {}

  /** Prune when the last prune is `everyMs` ago; resolves to how many attempts were deleted. */
  async maybePrune(): Promise<number> {
    const now = this.now();
    if (now - this.prunedAt < this.policy.everyMs) return 0;
    this.prunedAt = now;
    return this.attempts.prune(now - this.policy.maxAgeMs, this.policy.keepPerStep);
  }
}
