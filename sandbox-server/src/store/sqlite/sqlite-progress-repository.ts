import type { Database } from 'better-sqlite3';
import type { ProgressRepository, ProgressRow } from '../progress-repository.ts';

/**
 * Passed steps in SQLite (synchronous underneath; every promise is settled on return).
 *
 * @example
 * const progress = new SqliteProgressRepository(openSqlite(':memory:'));
 * await progress.recordPass('learner-1', '03-lifecycle', 'run-detached');
 */
export class SqliteProgressRepository implements ProgressRepository {
  constructor(private readonly db: Database) {}

  async recordPass(
    learnerId: string,
    lesson: string,
    step: string,
    at = Date.now(),
  ): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO progress (learner_id, lesson, step, passed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (learner_id, lesson, step) DO NOTHING`,
      )
      .run(learnerId, lesson, step, at);
  }

  async forLearner(learnerId: string): Promise<ProgressRow[]> {
    const rows = this.db
      .prepare(
        `SELECT learner_id, lesson, step, passed_at FROM progress WHERE learner_id = ?
         ORDER BY passed_at, lesson, step`,
      )
      .all(learnerId) as {
      learner_id: string;
      lesson: string;
      step: string;
      passed_at: number;
    }[];
    return rows.map((r) => ({
      learnerId: r.learner_id,
      lesson: r.lesson,
      step: r.step,
      passedAt: r.passed_at,
    }));
  }
}
