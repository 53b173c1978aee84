import type { Outcome } from '../checks/outcome.ts';
import type { Step } from '../contracts/lesson.ts';
import type { SolutionTypist, TypeOptions } from '../solutions/solution-runner.ts';
import { nextSecond } from './next-second.ts';

/**
 * The mistakes a step's author wrote down (`mistakes:` in lesson.yaml), each typed into the
 * verify shell and then undone: the step's checks must refuse every one. A mistake counts as
 * refused when at least one check that is not a guard fails, given the same `within` window the
 * right answer gets (a wrong restart policy may only show once the restarts have happened).
 */

export interface MistakesReport {
  tried: number;
  refused: number;
  /** One per mistake the checks let pass, naming it by its `why`. */
  problems: string[];
}

/** Evaluates the step's checks; `since` starts the history window (this mistake's commands). */
export type EvaluateChecks = (since: number) => Promise<Outcome[]>;

/**
 * Type each of `step`'s mistakes, look, undo. Throws (a SolutionError) only when the terminal
 * hangs; a wrong command that fails is still a mistake to look at.
 *
 * @example
 * const report = await tryMistakes(step, typist, (since) => evaluateAll(step, since), typing);
 * report.problems // ['mistake "--restart always …" passed every check']
 */
export async function tryMistakes(
  step: Step,
  typist: SolutionTypist,
  evaluate: EvaluateChecks,
  typing: TypeOptions,
): Promise<MistakesReport> {
  const mistakes = step.mistakes ?? [];
  const problems: string[] = [];
  let refused = 0;
  const counted = step.checks.some((check) => check.kind === 'history');
  for (const mistake of mistakes) {
    const since = Date.now();
    // History counts whole seconds after `since`'s: the mistake's commands must land in one.
    if (counted) await nextSecond(since);
    await typist.run(mistake.run, { ...typing, statusMatters: false });
    const outcomes = await evaluate(since);
    if (refusedBy(step, outcomes)) refused++;
    else problems.push(`mistake "${mistake.why}" passed every check`);
    if (mistake.undo) await typist.run(mistake.undo, { ...typing, statusMatters: false });
  }
  return { tried: mistakes.length, refused, problems };
}

function refusedBy(step: Step, outcomes: Outcome[]): boolean {
  return outcomes.some((o, i) => !o.passed && step.checks[i]?.guard !== true);
}
