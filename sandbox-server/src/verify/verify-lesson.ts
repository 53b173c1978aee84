import { randomBytes } from 'node:crypto';
import type { Outcome } from '../checks/outcome.ts';
import { evaluateCheck } from '../checks/runner.ts';
import type { LoadedLesson } from '../lessons/load-lesson.ts';
import type { Sandbox, SandboxDriver } from '../sandbox/driver.ts';
import { SolutionError, SolutionTypist } from '../solutions/solution-runner.ts';
import { openTerminal } from '../terminal/open-terminal.ts';
import type { TerminalSession } from '../terminal/terminal-session.ts';
import { type MistakesReport, tryMistakes } from './mistakes.ts';
import { nextSecond } from './next-second.ts';
import { proseStepDriver } from './prose-path.ts';
import type { LessonOutcome, StepReport } from './report.ts';
import type { StepDriver } from './step-driver.ts';
import { plannedSteps, type VerifyPlan } from './verify-plan.ts';

/**
 * Verify one lesson on one path in a fresh sandbox: steps in order; before each step's
 * commands every one of its checks must fail (one attempt, no retry window), after them every
 * check must pass (with the usual `within` window). The commands — the step's solution, or
 * its prose's Runs — are typed into a real terminal.
 */

export type VerifyEvent =
  | { type: 'sandbox'; lesson: string }
  | { type: 'step'; lesson: string; step: string; index: number; total: number }
  | { type: 'done'; lesson: string; outcome: LessonOutcome };

export interface VerifyLessonOptions {
  signal?: AbortSignal;
  /** Seconds one command of a solution may take (default 60). */
  commandTimeoutS?: number;
  onEvent?: (event: VerifyEvent) => void;
}

const numbered = (outcomes: Outcome[], want: boolean, skip: (i: number) => boolean = () => false) =>
  outcomes
    .map((o, i) => ({ o, i }))
    .filter(({ o, i }) => o.passed === want && !skip(i))
    .map(({ o, i }) => `check ${i + 1} (${o.message.en})`);

function stepDriver(
  plan: VerifyPlan,
  sandbox: Sandbox,
  term: TerminalSession,
  typist: SolutionTypist,
  typing: { signal?: AbortSignal; commandTimeoutS?: number },
): StepDriver {
  if (plan.path === 'prose') {
    return proseStepDriver(sandbox, term, typist.prompts, plan.runs ?? new Map(), typing);
  }
  return {
    what: 'its solution',
    before: async () => undefined,
    async perform(step) {
      await typist.run(step.solution, typing);
      return [];
    },
  };
}

async function runSteps(
  plan: VerifyPlan,
  sandbox: Sandbox,
  opts: VerifyLessonOptions,
  steps: StepReport[],
  problems: string[],
): Promise<void> {
  const { lesson } = plan;
  const planned = plannedSteps(plan);
  const term = await openTerminal(sandbox, { id: 'verify', cols: 160, rows: 48 });
  try {
    const typist = new SolutionTypist(term);
    const typing = { signal: opts.signal, commandTimeoutS: opts.commandTimeoutS };
    await typist.prepare(typing);
    if (lesson.spec.setup) {
      await typist.run(lesson.spec.setup, typing).catch((error: unknown) => {
        throw prefixed(error, 'setup', 'its solution');
      });
    }
    const doer = stepDriver(plan, sandbox, term, typist, typing);
    for (const [index, step] of planned.entries()) {
      opts.onEvent?.({
        type: 'step',
        lesson: lesson.id,
        step: step.id,
        index,
        total: planned.length,
      });
      // The author's wrong ways first (solution path only: they test the checks, not the
      // prose), each undone, so the step then starts as it would without them.
      let mistakes: MistakesReport | undefined;
      if (plan.path === 'solution' && step.mistakes?.length) {
        const evaluate = (since: number) =>
          Promise.all(
            step.checks.map((check) =>
              evaluateCheck(check, sandbox, {
                signal: opts.signal,
                retry: true,
                historySince: since,
              }),
            ),
          );
        try {
          mistakes = await tryMistakes(step, typist, evaluate, typing);
        } catch (error) {
          steps.push({ id: step.id, before: { passed: false }, after: { passed: false }, ms: 0 });
          throw prefixed(error, `step "${step.id}"`, 'a mistake');
        }
        for (const problem of mistakes.problems) problems.push(`step "${step.id}": ${problem}`);
      }
      const started = Date.now();
      await doer.before(step);
      // As for a learner, history checks count only what this step typed (everything before
      // `started` belongs to earlier steps).
      const eval1 = (retry: boolean) =>
        Promise.all(
          step.checks.map((check) =>
            evaluateCheck(check, sandbox, { signal: opts.signal, retry, historySince: started }),
          ),
        );
      const before = await eval1(false);
      // Guards may pass already: they protect earlier steps' work, they do not prove this step.
      const early = numbered(before, true, (i) => step.checks[i]!.guard === true);
      if (early.length > 0) {
        problems.push(`step "${step.id}": already passes before ${doer.what}: ${early.join('; ')}`);
      }
      let performed: string[];
      try {
        if (step.checks.some((check) => check.kind === 'history')) await nextSecond(started);
        performed = await doer.perform(step);
      } catch (error) {
        const report = {
          id: step.id,
          before: { passed: early.length > 0 },
          after: { passed: false },
          ms: Date.now() - started,
        };
        steps.push(report);
        throw prefixed(error, `step "${step.id}"`, doer.what);
      }
      for (const problem of performed) problems.push(`step "${step.id}": ${problem}`);
      const after = await eval1(true);
      const failing = numbered(after, false);
      if (failing.length > 0)
        problems.push(`step "${step.id}": after ${doer.what}, ${failing.join('; ')}`);
      steps.push({
        id: step.id,
        before: { passed: early.length > 0 },
        after: { passed: failing.length === 0 && performed.length === 0 },
        ms: Date.now() - started,
        ...(mistakes && { mistakes: { tried: mistakes.tried, refused: mistakes.refused } }),
      });
    }
  } finally {
    await term.close();
  }
}

function prefixed(error: unknown, where: string, what: string): Error {
  if (error instanceof SolutionError) {
    const failed =
      what === 'its prose'
        ? 'the prose could not be completed'
        : what === 'a mistake'
          ? 'a mistake (or its undo) hung'
          : 'the solution failed';
    return new SolutionError(
      `${where}: ${failed}: ${error.message}\n${indent(error.screen)}`,
      error.screen,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${where}: ${message}`);
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `      | ${line}`)
    .join('\n');

/**
 * Verify one lesson on one path; never throws for lesson problems (they are in `problems`).
 * Returns one outcome per language the plan stands for (one, `lang: null`, for the solution).
 *
 * @example
 * const [outcome] = await verifyPlan(planLesson(lesson, { paths: ['prose'] })[0], driver);
 * outcome.passed
 */
export async function verifyPlan(
  plan: VerifyPlan,
  driver: SandboxDriver,
  opts: VerifyLessonOptions = {},
): Promise<LessonOutcome[]> {
  const { lesson } = plan;
  const steps: StepReport[] = [];
  const problems: string[] = [...plan.problems];
  opts.onEvent?.({ type: 'sandbox', lesson: lesson.id });
  let sandbox: Sandbox | undefined;
  try {
    sandbox = await driver.create(
      {
        sessionId: `verify-${lesson.id}-${randomBytes(3).toString('hex')}`,
        labels: { 'dev.handson.verify': lesson.id },
      },
      opts.signal,
    );
    await sandbox.ready(opts.signal);
    await runSteps(plan, sandbox, opts, steps, problems);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    if (sandbox) await driver.destroy(sandbox.id).catch(() => undefined);
  }
  // Steps never reached count as not verified.
  for (const step of plannedSteps(plan).slice(steps.length)) {
    steps.push({ id: step.id, before: { passed: false }, after: { passed: false }, ms: 0 });
  }
  const passed = problems.length === 0 && steps.every((s) => !s.before.passed && s.after.passed);
  const langs = plan.path === 'solution' ? [null] : plan.langs;
  const outcomes = langs.map(
    (lang): LessonOutcome => ({
      id: lesson.id,
      path: plan.path,
      lang,
      steps: steps.map((s) => ({ ...s })),
      passed,
      problems,
    }),
  );
  for (const outcome of outcomes) opts.onEvent?.({ type: 'done', lesson: lesson.id, outcome });
  return outcomes;
}

/**
 * Verify one lesson on the solution path (what `handson verify` did before the prose path).
 *
 * @example
 * const outcome = await verifyLesson(lesson, driver, { onEvent: console.log });
 * outcome.passed
 */
export async function verifyLesson(
  lesson: LoadedLesson,
  driver: SandboxDriver,
  opts: VerifyLessonOptions = {},
): Promise<LessonOutcome> {
  const [outcome] = await verifyPlan(
    { lesson, path: 'solution', langs: [], problems: [] },
    driver,
    opts,
  );
  return outcome!;
}
