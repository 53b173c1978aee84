import type { Database } from 'better-sqlite3';

export interface ProgressRow {
  learnerId: string;
  lesson: string;
  step: string;
  passedAt: number;
}

/**
 * Which steps a learner has passed: what resuming a course and a workshop's
 * "who is stuck where" view read.
 *
 * @example
 * const progress = new ProgressRepository(db);
 * progress.recordPass('learner-1', '03-lifecycle', 'run-detached');
 * progress.forLearner('learner-1'); // [{lesson: '03-lifecycle', step: 'run-detached', ...}]
 */
export class ProgressRepository {
  constructor(private readonly db: Database) {}

  /** Record a passed step; the first pass time is kept. */
  recordPass(learnerId: string, lesson: string, step: string, at = Date.now()): void {
    this.db
      .prepare(
        `INSERT INTO progress (learner_id, lesson, step, passed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (learner_id, lesson, step) DO NOTHING`,
      )
      .run(learnerId, lesson, step, at);
  }

  forLearner(learnerId: string): ProgressRow[] {
    const rows = this.db
      .prepare(
        `SELECT learner_id, lesson, step, passed_at FROM progress WHERE learner_id = ?
         ORDER BY passed_at`,
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
