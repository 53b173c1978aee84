import type { Database } from 'better-sqlite3';
import type { AttemptRepository, CheckAttempt } from '../attempt-repository.ts';

/**
 * The Check history in SQLite (synchronous underneath; every promise is settled on return).
 *
 * @example
 * const attempts = new SqliteAttemptRepository(openSqlite(':memory:'));
 * await attempts.forLearners(['l1']);
 */
export class SqliteAttemptRepository implements AttemptRepository {
  constructor(private readonly db: Database) {}

  async record(a: CheckAttempt): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO check_attempts (learner_id, lesson, step, passed, message, at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(a.learnerId, a.lesson, a.step, a.passed ? 1 : 0, a.message, a.at);
  }

  async forLearners(learnerIds: readonly string[]): Promise<CheckAttempt[]> {
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

  async latestPass(
    learnerId: string,
    lesson: string,
    steps: readonly string[],
  ): Promise<number | undefined> {
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

  async prune(before: number, keepPerStep: number): Promise<number> {
    const deleteOld = this.db.prepare('DELETE FROM check_attempts WHERE at < ?');
    const deleteExtra = this.db.prepare(
      `DELETE FROM check_attempts WHERE id IN (
         SELECT id FROM (
           SELECT id, ROW_NUMBER() OVER (
             PARTITION BY learner_id, lesson, step ORDER BY at DESC, id DESC
           ) AS newer FROM check_attempts
         ) WHERE newer > ?
       )`,
    );
    return this.db.transaction(
      () => deleteOld.run(before).changes + deleteExtra.run(keepPerStep).changes,
    )();
  }
}
