import type pg from 'pg';
import type { ProgressRepository, ProgressRow } from '../progress-repository.ts';

/**
 * Passed steps in Postgres: the same answers as the SQLite one.
 *
 * @example
 * const progress = new PostgresProgressRepository(pool);
 * await progress.forLearner('learner-1');
 */
export class PostgresProgressRepository implements ProgressRepository {
  constructor(private readonly pool: pg.Pool) {}

  async recordPass(
    learnerId: string,
    lesson: string,
    step: string,
    at = Date.now(),
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO progress (learner_id, lesson, step, passed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (learner_id, lesson, step) DO NOTHING`,
      [learnerId, lesson, step, at],
    );
  }

  async forLearner(learnerId: string): Promise<ProgressRow[]> {
    const { rows } = await this.pool.query<{
      learner_id: string;
      lesson: string;
      step: string;
      passed_at: number;
    }>(
      `SELECT learner_id, lesson, step, passed_at FROM progress WHERE learner_id = $1
       ORDER BY passed_at, lesson, step`,
      [learnerId],
    );
    return rows.map((r) => ({
      learnerId: r.learner_id,
      lesson: r.lesson,
      step: r.step,
      passedAt: r.passed_at,
    }));
  }
}
