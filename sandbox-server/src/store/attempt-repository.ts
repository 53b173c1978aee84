/** One press of Check. */
export interface CheckAttempt {
  learnerId: string;
  lesson: string;
  step: string;
  passed: boolean;
  /** The first failing check's message, when it failed. */
  message: string | null;
  at: number;
}

/**
 * Every Check a learner pressed, passed or failed: the raw material of the workshop dashboard
 * ("failing for 10 minutes") and of the results export.
 *
 * @example
 * await attempts.record({ learnerId, lesson, step, passed: false, message: 'no container "web"', at });
 * await attempts.forLearners(['l1', 'l2']);
 */
export interface AttemptRepository {
  record(a: CheckAttempt): Promise<void>;
  /** The attempts of these learners, oldest first. */
  forLearners(learnerIds: readonly string[]): Promise<CheckAttempt[]>;
  /**
   * When `learnerId` last passed any of `steps` of `lesson` (ms since the epoch), or undefined.
   *
   * @example
   * await attempts.latestPass('l1', '03-lifecycle', ['run', 'stop']) // 1_700_000_300_000
   */
  latestPass(
    learnerId: string,
    lesson: string,
    steps: readonly string[],
  ): Promise<number | undefined>;
  /**
   * Forget attempts older than `before`, and all but the newest `keepPerStep` of each learner's
   * step (progress lives in its own table; the dashboard needs only recent attempts), in one
   * transaction. Returns how many were deleted.
   */
  prune(before: number, keepPerStep: number): Promise<number>;
}
