import type Docker from 'dockerode';
import type { Sandbox } from '../sandbox/driver.ts';
import type { Outcome } from './outcome.ts';

/** What every check kind gets: the learner's sandbox, its inner engine, and a deadline. */
export interface CheckContext {
  sandbox: Sandbox;
  docker: Docker;
  /** Aborted when the attempt's timeout passes. */
  signal: AbortSignal;
  /**
   * `history` checks count only commands entered after this moment (ms since the epoch; bash
   * stamps whole seconds, so a command counts when its second is later than this one's).
   */
  historySince?: number;
}

/** One check kind's evaluation: a single attempt, retried by the runner. */
export type Evaluate<C> = (check: C, ctx: CheckContext) => Promise<Outcome>;
