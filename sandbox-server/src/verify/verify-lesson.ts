import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Outcome } from '../checks/outcome.ts';
import { evaluateCheck } from '../checks/runner.ts';
import type { LoadedLesson } from '../lessons/load-lesson.ts';
import type { Sandbox, SandboxDriver } from '../sandbox/driver.ts';
import { SolutionError, SolutionTypist } from '../solutions/solution-runner.ts';
import { openTerminal } from '../terminal/open-terminal.ts';
import type { LessonOutcome, StepReport } from './report.ts';

/**
 * Verify one lesson in a fresh sandbox: steps in order; before each step's solution every one
 * of its checks must fail (one attempt, no retry window), after it every check must pass (with
 * the usual `within` window). The solution is typed into a real terminal.
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

const COARSE_CLOCK_MARGIN_MS = 50;

async function runSteps(
  lesson: LoadedLesson,
  sandbox: Sandbox,
  opts: VerifyLessonOptions,
  steps: StepReport[],
  problems: string[],
): Promise<void> {
  const term = await openTerminal(sandbox, { id: 'verify', cols: 160, rows: 48 });
  try {
    const typist = new SolutionTypist(term);
    const typing = { signal: opts.signal, commandTimeoutS: opts.commandTimeoutS };
    await typist.prepare(typing);
    if (lesson.spec.setup) {
      await typist.run(lesson.spec.setup, typing).catch((error: unknown) => {
        throw prefixed(error, 'setup');
      });
    }
    for (const [index, step] of lesson.spec.steps.entries()) {
      opts.onEvent?.({
        type: 'step',
        lesson: lesson.id,
        step: step.id,
        index,
        total: lesson.spec.steps.length,
      });
      const started = Date.now();
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
        problems.push(`step "${step.id}": already passes before its solution: ${early.join('; ')}`);
      }
      try {
        if (step.checks.some((check) => check.kind === 'history')) await nextSecond(started);
        await typist.run(step.solution, typing);
      } catch (error) {
        const report = {
          id: step.id,
          before: { passed: early.length > 0 },
          after: { passed: false },
          ms: Date.now() - started,
        };
        steps.push(report);
        throw prefixed(error, `step "${step.id}"`);
      }
      const after = await eval1(true);
      const failing = numbered(after, false);
      if (failing.length > 0)
        problems.push(`step "${step.id}": after its solution, ${failing.join('; ')}`);
      steps.push({
        id: step.id,
        before: { passed: early.length > 0 },
        after: { passed: failing.length === 0 },
        ms: Date.now() - started,
      });
    }
  } finally {
    await term.close();
  }
}

/**
 * Bash stamps history in whole seconds, read from the kernel's coarse clock (a few ms behind):
 * wait until the clock has surely left `since`'s second.
 */
async function nextSecond(since: number): Promise<void> {
  const wait = (Math.floor(since / 1000) + 1) * 1000 + COARSE_CLOCK_MARGIN_MS - Date.now();
  if (wait > 0) await sleep(wait);
}

function prefixed(error: unknown, where: string): Error {
  if (error instanceof SolutionError) {
    return new SolutionError(
      `${where}: the solution failed: ${error.message}\n${indent(error.screen)}`,
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
 * Verify one lesson; never throws for lesson problems (they are in `problems`).
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
  const steps: StepReport[] = [];
  const problems: string[] = [];
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
    await runSteps(lesson, sandbox, opts, steps, problems);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    if (sandbox) await driver.destroy(sandbox.id).catch(() => undefined);
  }
  // Steps never reached count as not verified.
  for (const step of lesson.spec.steps.slice(steps.length)) {
    steps.push({ id: step.id, before: { passed: false }, after: { passed: false }, ms: 0 });
  }
  const outcome: LessonOutcome = {
    id: lesson.id,
    steps,
    passed: problems.length === 0 && steps.every((s) => !s.before.passed && s.after.passed),
    problems,
  };
  opts.onEvent?.({ type: 'done', lesson: lesson.id, outcome });
  return outcome;
}
