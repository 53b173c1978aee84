import type { Step } from '../contracts/lesson.ts';
import type { ProseRun } from '../lessons/run-commands.ts';
import type { Sandbox } from '../sandbox/driver.ts';
import type { SolutionTerminal } from '../solutions/solution-runner.ts';
import { type ProseTypeOptions, ProseTypist } from './prose-typist.ts';
import type { StepDriver } from './step-driver.ts';

/**
 * The prose path: a step done the way a learner does it on the page. The step's editor files
 * are written as the page writes them (each file that is not in the workspace yet, with its
 * starting content), then every `<Run>` of the language's prose is typed in page order.
 */

/**
 * Write the step's files the way the lesson page does when the step shows: a file already in
 * the workspace is kept (the learner's edits survive), a missing one gets its starting content.
 *
 * @example
 * await writeStepFiles(sandbox, step);
 */
export async function writeStepFiles(sandbox: Sandbox, step: Step): Promise<void> {
  for (const file of step.files ?? []) {
    if (!file.content) continue;
    const exists = await sandbox.readFile(file.path).then(
      () => true,
      () => false,
    );
    if (!exists) await sandbox.writeFile(file.path, Buffer.from(file.content));
  }
}

/**
 * A StepDriver that writes each step's files, then types its Runs.
 *
 * @example
 * const driver = proseStepDriver(sandbox, term, solutionTypist.prompts, plan.runs, { signal });
 */
export function proseStepDriver(
  sandbox: Sandbox,
  term: SolutionTerminal,
  prompts: number,
  runs: ReadonlyMap<string, readonly ProseRun[]>,
  opts: ProseTypeOptions,
): StepDriver {
  const typist = new ProseTypist(term, prompts, opts);
  return {
    what: 'its prose',
    before: (step) => writeStepFiles(sandbox, step),
    async perform(step) {
      const problems: string[] = [];
      const stepRuns = runs.get(step.id) ?? [];
      for (const run of stepRuns) {
        const problem = await typist.type(run);
        if (problem) problems.push(problem);
      }
      await typist.endOfStep();
      if (stepRuns.length === 0) problems.push('its prose has no <Run> (nothing to click)');
      return problems;
    },
  };
}
