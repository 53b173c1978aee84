import type { Benchmark } from './benchmark.ts';

/** Issue 9's class of simulated learners; sized by `--learners` or HANDSON_BENCH_LEARNERS (default 100). */
export const workshopBenchmark: Benchmark = {
  name: 'workshop',
  description: 'a workshop filled with simulated learners typing and checking',
  run: async (ctx) => (await import('./workshop/workshop-load.ts')).workshopLoad(ctx),
};
