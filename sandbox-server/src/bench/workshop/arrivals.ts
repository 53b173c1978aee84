import { performance } from 'node:perf_hooks';
import type { SimulatedLearner } from './learner-client.ts';

/**
 * A class arriving: learner `i` of `learners` joins at `i × spreadMs / learners` (evenly over
 * `spreadMs`; 0 = all at once), opens their terminal and waits for the prompt, as a browser does.
 * Resolves with each learner's join → prompt time in ms (the join request included).
 *
 * @example
 * const joinToPrompt = await arrive(batch, workshop.code, 60_000, 300_000);
 */
export async function arrive(
  learners: SimulatedLearner[],
  code: string,
  spreadMs: number,
  timeoutMs: number,
): Promise<number[]> {
  return Promise.all(
    learners.map(async (learner, i) => {
      await new Promise((r) => setTimeout(r, (i * spreadMs) / learners.length));
      const joined = performance.now();
      await learner.join(code);
      await learner.connect(timeoutMs);
      return performance.now() - joined;
    }),
  );
}
