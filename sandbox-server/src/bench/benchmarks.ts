import type { Benchmark } from './benchmark.ts';
import { checksBenchmark } from './checks-benchmark.ts';
import { failoverBenchmark } from './failover-benchmark.ts';
import { fairnessBenchmark } from './fairness-benchmark.ts';
import { hostileBenchmark } from './hostile-benchmark.ts';
import { imagesBenchmark } from './images-benchmark.ts';
import { sandboxBenchmark } from './sandbox-benchmark.ts';
import { siteBenchmark } from './site-benchmark.ts';
import { terminalBenchmark } from './terminal-benchmark.ts';
import { workshopBenchmark } from './workshop-benchmark.ts';

/** Every benchmark `handson bench` knows; each part of the project adds its own here. */
export const BENCHMARKS: Benchmark[] = [
  imagesBenchmark,
  terminalBenchmark,
  sandboxBenchmark,
  checksBenchmark,
  siteBenchmark,
  workshopBenchmark,
  fairnessBenchmark,
  hostileBenchmark,
  failoverBenchmark,
];
