import { EventEmitter } from 'node:events';
import type { AttemptRepository, CheckAttempt } from '../store/attempt-repository.ts';
import type { ProgressRepository, ProgressRow } from '../store/progress-repository.ts';

/** A Check just recorded, for live views (the workshop dashboard). */
export interface AttemptEvent extends CheckAttempt {
  sessionId: string;
}

/**
 * Records every Check (passes also into the learner's progress) and tells listeners at once.
 * One per server; the check route writes, the dashboard and the course index read.
 *
 * @example
 * const recorder = new ProgressRecorder(attempts, progress);
 * recorder.onAttempt((e) => console.log(e.learnerId, e.passed));
 * await recorder.record({ sessionId, learnerId, lesson, step, passed: true, message: null, at: Date.now() });
 */
export class ProgressRecorder {
  private readonly events = new EventEmitter();

  constructor(
    private readonly attempts: AttemptRepository,
    private readonly progress: ProgressRepository,
  ) {
    // One listener per open dashboard; a big class opens many.
    this.events.setMaxListeners(0);
  }

  /** Store the attempt (and a pass), then tell listeners. */
  async record(event: AttemptEvent): Promise<void> {
    await this.attempts.record(event);
    if (event.passed) {
      await this.progress.recordPass(event.learnerId, event.lesson, event.step, event.at);
    }
    this.events.emit('attempt', event);
  }

  /** Listen for recorded attempts; returns how to stop. */
  onAttempt(listener: (event: AttemptEvent) => void): () => void {
    this.events.on('attempt', listener);
    return () => this.events.off('attempt', listener);
  }

  /** The steps a learner has passed, oldest first. */
  passed(learnerId: string): Promise<ProgressRow[]> {
    return this.progress.forLearner(learnerId);
  }

  /**
   * The moment the learner's work on `step` began, as far as `history` checks go: their latest
   * pass of a step before it in the lesson, or undefined when none passed. Kept in the store,
   * so a restarted server still knows it.
   *
   * @example
   * await recorder.stepBegan('l1', 'lesson-01', ['a', 'b', 'c'], 'c') // the later of a's and b's passes
   */
  stepBegan(
    learnerId: string,
    lesson: string,
    stepIds: readonly string[],
    step: string,
  ): Promise<number | undefined> {
    const index = stepIds.indexOf(step);
    const before = index < 0 ? stepIds : stepIds.slice(0, index);
    return this.attempts.latestPass(learnerId, lesson, before);
  }

  /** The attempts of these learners, oldest first. */
  attemptsOf(learnerIds: readonly string[]): Promise<CheckAttempt[]> {
    return this.attempts.forLearners(learnerIds);
  }
}
