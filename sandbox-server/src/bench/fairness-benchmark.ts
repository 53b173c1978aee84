import type { Benchmark } from './benchmark.ts';

/**
 * Issue 17's fairness proof: quiet learners measured while one learner attacks; sized by
 * HANDSON_BENCH_QUIET (default 20), HANDSON_BENCH_ATTACKS picks attacks by name.
 */
export const fairnessBenchmark: Benchmark = {
  name: 'fairness',
  description:
    'quiet learners typing and checking while one learner runs a fork bomb, a memory hog, a disk fill, an output flood, a CPU burner',
  run: async (ctx) => (await import('./fairness/fairness-load.ts')).fairnessLoad(ctx),
};
