import type { Database } from 'better-sqlite3';

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
 * attempts.record({ learnerId, lesson, step, passed: false, message: 'no container "web"', at });
 * attempts.forLearners(['l1', 'l2']);
 */
export class AttemptRepository {
  constructor(private readonly db: Database) {}

  record(a: CheckAttempt): void {
    this.db
      .prepare(
        `INSERT INTO check_attempts (learner_id, lesson, step, passed, message, at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(a.learnerId, a.lesson, a.step, a.passed ? 1 : 0, a.message, a.at);
  }

  /** The attempts of these learners, oldest first. */
  forLearners(learnerIds: readonly string[]): CheckAttempt[] {
    if (learnerIds.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT learner_id, lesson, step, passed, message, at FROM check_attempts
         WHERE learner_id IN (${learnerIds.map(() => '?').join(',')}) ORDER BY at, id`,
      )
      .all(...learnerIds) as {
      learner_id: string;
      lesson: string;
      step: string;
      passed: number;
      message: string | null;
      at: number;
    }[];
    return rows.map((r) => ({
      learnerId: r.learner_id,
      lesson: r.lesson,
      step: r.step,
      passed: r.passed === 1,
      message: r.message,
      at: r.at,
    }));
  }

  /**
   * When `learnerId` last passed any of `steps` of `lesson` (ms since the epoch), or undefined.
   *
   * @example
   * attempts.latestPass('l1', '03-lifecycle', ['run', 'stop']) // 1_700_000_300_000
   */
  latestPass(learnerId: string, lesson: string, steps: readonly string[]): number | undefined {
    if (steps.length === 0) return undefined;
    const row = this.db
      .prepare(
        `SELECT MAX(at) AS at FROM check_attempts
         WHERE learner_id = ? AND lesson = ? AND passed = 1
           AND step IN (${steps.map(() => '?').join(',')})`,
      )
      .get(learnerId, lesson, ...steps) as { at: number | null };
    return row.at ?? undefined;
  }

  /**
   * Forget attempts older than `before`, and all but the newest `keepPerStep` of each learner's
   * step (progress lives in its own table; the dashboard needs only recent attempts).
   * Returns how many were deleted.
   */
  prune(before: number, keepPerStep: number): number {
    const old = this.db.prepare('DELETE FROM check_attempts WHERE at < ?').run(before).changes;
    const extra = this.db
      .prepare(
        `DELETE FROM check_attempts WHERE id IN (
           SELECT id FROM (
             SELECT id, ROW_NUMBER() OVER (
               PARTITION BY learner_id, lesson, step ORDER BY at DESC, id DESC
             ) AS newer FROM check_attempts
           ) WHERE newer > ?
         )`,
      )
      .run(keepPerStep).changes;
    return old + extra;
  }
}
