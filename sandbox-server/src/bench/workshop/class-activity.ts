import { performance } from 'node:perf_hooks';
import type { SimulatedLearner } from './learner-client.ts';

/** The step every simulated learner checks: cheap, and it passes once its solution ran. */
export const BENCH_LESSON = 'the-engine';
export const BENCH_STEP = 'version';
/** The step's solution, quiet: what each learner runs once their terminal is open. */
export const BENCH_STEP_SOLUTION = 'docker version | tee version.txt >/dev/null';

export interface Activity {
  /** Keystroke round trips, ms. */
  echo: number[];
  /** Check round trips, ms. */
  check: number[];
  /** Checks that got no answer, or an error answer. */
  failedChecks: number;
}

/**
 * Every learner types and checks for `ms`: a keystroke every ~1 s, Check every ~10 s
 * (HANDSON_BENCH_CHECK_EVERY keystrokes; 0 = never, to tell the terminal's cost from the checks').
 * Failures count in each learner's `errors`.
 *
 * @example
 * const { echo, check } = await typeAndCheck(learners, 20_000);
 */
export async function typeAndCheck(learners: SimulatedLearner[], ms: number): Promise<Activity> {
  const checkEvery = Number(process.env.HANDSON_BENCH_CHECK_EVERY ?? 10);
  const activity: Activity = { echo: [], check: [], failedChecks: 0 };
  const until = performance.now() + ms;
  await Promise.all(
    learners.map(async (learner, i) => {
      // Spread the class out so they do not all press keys in the same millisecond.
      await new Promise((r) => setTimeout(r, (i * 37) % 1000));
      let n = 0;
      while (performance.now() < until) {
        try {
          activity.echo.push(await learner.echoMs(n));
          if (checkEvery > 0 && n % checkEvery === i % checkEvery) {
            const answer = await learner.check(BENCH_LESSON, BENCH_STEP);
            activity.check.push(answer.ms);
            if (!answer.ok) activity.failedChecks++;
          }
        } catch {
          learner.errors++;
        }
        n++;
        await new Promise((r) => setTimeout(r, 800 + ((i * 131 + n * 17) % 400)));
      }
    }),
  );
  return activity;
}
