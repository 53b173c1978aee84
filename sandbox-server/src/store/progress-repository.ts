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
 * await progress.recordPass('learner-1', '03-lifecycle', 'run-detached');
 * await progress.forLearner('learner-1'); // [{lesson: '03-lifecycle', step: 'run-detached', ...}]
 */
export interface ProgressRepository {
  /** Record a passed step; the first pass time is kept. */
  recordPass(learnerId: string, lesson: string, step: string, at?: number): Promise<void>;
  /** The learner's passed steps, oldest first. */
  forLearner(learnerId: string): Promise<ProgressRow[]>;
}
