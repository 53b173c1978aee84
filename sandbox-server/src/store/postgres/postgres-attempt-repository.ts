import type pg from 'pg';
import type { AttemptRepository, CheckAttempt } from '../attempt-repository.ts';
import { inTransaction, placeholders } from './postgres-pool.ts';

/**
 * The Check history in Postgres: the same answers as the SQLite one.
 *
 * @example
 * const attempts = new PostgresAttemptRepository(pool);
 * await attempts.latestPass('l1', '03-lifecycle', ['run']);
 */
export class PostgresAttemptRepository implements AttemptRepository {
  constructor(private readonly pool: pg.Pool) {}

  async record(a: CheckAttempt): Promise<void> {
    await this.pool.query(
      `INSERT INTO check_attempts (learner_id, lesson, step, passed, message, at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [a.learnerId, a.lesson, a.step, a.passed, a.message, a.at],
    );
  }

  async forLearners(learnerIds: readonly string[]): Promise<CheckAttempt[]> {
    if (learnerIds.length === 0) return [];
    const { rows } = await this.pool.query<{
      learner_id: string;
      lesson: string;
      step: string;
      passed: boolean;
      message: string | null;
      at: number;
    }>(
      `SELECT learner_id, lesson, step, passed, message, at FROM check_attempts
       WHERE learner_id = ANY($1::text[]) ORDER BY at, id`,
      [learnerIds],
    );
    return rows.map((r) => ({
      learnerId: r.learner_id,
      lesson: r.lesson,
      step: r.step,
      passed: r.passed,
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
    const { rows } = await this.pool.query<{ at: number | null }>(
      `SELECT MAX(at) AS at FROM check_attempts
       WHERE learner_id = $1 AND lesson = $2 AND passed AND step IN (${placeholders(steps.length, 3)})`,
      [learnerId, lesson, ...steps],
    );
    return rows[0]?.at ?? undefined;
  }

  async prune(before: number, keepPerStep: number): Promise<number> {
    return inTransaction(this.pool, async (tx) => {
      const old = await tx.query('DELETE FROM check_attempts WHERE at < $1', [before]);
      const extra = await tx.query(
        `DELETE FROM check_attempts WHERE id IN (
           SELECT id FROM (
             SELECT id, ROW_NUMBER() OVER (
               PARTITION BY learner_id, lesson, step ORDER BY at DESC, id DESC
             ) AS newer FROM check_attempts
           ) ranked WHERE newer > $1
         )`,
        [keepPerStep],
      );
      return (old.rowCount ?? 0) + (extra.rowCount ?? 0);
    });
  }
}
