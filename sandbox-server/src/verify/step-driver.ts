import type { Step } from '../contracts/lesson.ts';

/**
 * How verify does a step: the solution path types the step's `solution`, the prose path does
 * what the page lets a learner do. The rest of a lesson's replay (checks before and after,
 * timing, reports) is the same for both.
 */
export interface StepDriver {
  /** Names what the step did in messages: `its solution`, `its prose`. */
  what: string;
  /** Before the step's "checks must fail" look (the page writes a step's files on showing it). */
  before(step: Step): Promise<void>;
  /**
   * Do the step. Throws when the terminal is stuck (the lesson stops there); returns problems
   * that do not stop it (a Run that exited non-zero, say), which fail the step.
   */
  perform(step: Step): Promise<string[]>;
}
