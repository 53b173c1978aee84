import type { Benchmark } from './benchmark.ts';

/** Issue 8's page-to-interactive-terminal time; the browser code loads only when it runs. */
export const siteBenchmark: Benchmark = {
  name: 'site',
  description: 'lesson page → interactive terminal in a real browser',
  run: async (ctx) => (await import('./site/interactive.ts')).interactive(ctx),
};
