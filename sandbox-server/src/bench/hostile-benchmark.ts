import type { Benchmark } from './benchmark.ts';

/**
 * Issue 16's fuzz, longer than CI's: random and invalid WebSocket frames against a live
 * terminal and raw hostile HTTP against a real server; crashes and 5xx must be 0, RSS growth
 * ≤ 32 MB. Sized by HANDSON_BENCH_FRAME_RUNS, HANDSON_BENCH_HTTP_RUNS, HANDSON_BENCH_SEED.
 */
export const hostileBenchmark: Benchmark = {
  name: 'hostile',
  description:
    'random/invalid WebSocket frames against a live terminal and raw hostile HTTP (bad request lines, huge headers, slow-loris, pipelines, bad chunking, lying lengths) against a real server (issue 16)',
  run: async (ctx) => (await import('./hostile/hostile-load.ts')).hostileLoad(ctx),
};
