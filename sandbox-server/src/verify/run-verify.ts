import type { HandsonConfig } from '../config.ts';
import { contentDir } from '../lessons/catalog.ts';
import { findLesson } from '../lessons/find-lesson.ts';
import { type LoadedLesson, loadCourse } from '../lessons/load-lesson.ts';
import type { SandboxDriver } from '../sandbox/driver.ts';
import { type LessonOutcome, mergeRepeats } from './report.ts';
import { type VerifyEvent, verifyPlan } from './verify-lesson.ts';
import type { VerifyPlan } from './verify-plan.ts';

/**
 * `handson verify` without the CLI: which lessons, how many at once, how many times.
 */

export interface VerifyOptions {
  /** Lesson ids, folder names or paths to lesson folders; none = the whole course. */
  refs: readonly string[];
  jobs?: number;
  repeat?: number;
  commandTimeoutS?: number;
  signal?: AbortSignal;
  onEvent?: (event: VerifyEvent & { run: number }) => void;
}

/**
 * The lessons named on the command line (drafts outside content/ too), or the whole course.
 *
 * @example
 * await resolveLessons(cfg, ['first-containers', './drafts/new-lesson'])
 */
export async function resolveLessons(
  cfg: HandsonConfig,
  refs: readonly string[],
): Promise<LoadedLesson[]> {
  const dir = contentDir(cfg);
  if (refs.length === 0) return loadCourse(dir);
  const lessons: LoadedLesson[] = [];
  for (const ref of refs) lessons.push(await findLesson(ref, dir));
  return lessons;
}

/** The sandbox driver `verify` uses: the dind driver, from the sandbox module. */
export async function dindDriver(cfg: HandsonConfig): Promise<SandboxDriver> {
  // Variable specifiers keep this module loadable (and unit-testable) without the driver.
  const factory = '../sandbox/index.ts';
  const direct = '../sandbox/dind/index.ts';
  const mod = (await import(factory).catch(() => ({}))) as {
    createDriver?: (name: 'dind', cfg: HandsonConfig) => SandboxDriver | Promise<SandboxDriver>;
  };
  if (mod.createDriver) return mod.createDriver('dind', cfg);
  const dind = (await import(direct)) as { DindDriver: new (cfg: HandsonConfig) => SandboxDriver };
  return new dind.DindDriver(cfg);
}

/** Run `tasks` with at most `jobs` at a time, keeping their order in the result. */
async function pool<T>(tasks: (() => Promise<T>)[], jobs: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, tasks.length)) }, worker));
  return results;
}

/**
 * Fold the repeats of one plan: each run gives one outcome per language; the same language's
 * outcomes of every run are merged (they must agree).
 *
 * @example
 * mergePlanRuns([run1Outcomes, run2Outcomes])
 */
export function mergePlanRuns(runs: readonly (readonly LessonOutcome[])[]): LessonOutcome[] {
  const first = runs[0] ?? [];
  return first.map((_, index) =>
    mergeRepeats(runs.map((run) => run[index]).filter((o): o is LessonOutcome => o !== undefined)),
  );
}

/**
 * Verify plans (a lesson on a path): each repeat in its own fresh sandbox, `jobs` at a time;
 * repeats are merged (they must agree).
 *
 * @example
 * const plans = lessons.flatMap((l) => planLesson(l, { paths: ['solution'] }));
 * const outcomes = await runVerify(plans, driver, { refs: [], jobs: 2, repeat: 1 });
 */
export async function runVerify(
  plans: readonly VerifyPlan[],
  driver: SandboxDriver,
  opts: VerifyOptions,
): Promise<LessonOutcome[]> {
  const repeat = Math.max(1, opts.repeat ?? 1);
  const tasks = plans.flatMap((plan) =>
    Array.from(
      { length: repeat },
      (_, run) => () =>
        verifyPlan(plan, driver, {
          signal: opts.signal,
          commandTimeoutS: opts.commandTimeoutS,
          onEvent: (event) => opts.onEvent?.({ ...event, run }),
        }),
    ),
  );
  const results = await pool(tasks, opts.jobs ?? 1);
  return plans.flatMap((_, index) =>
    mergePlanRuns(results.slice(index * repeat, (index + 1) * repeat)),
  );
}
