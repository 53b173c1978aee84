/**
 * The benchmark contract: each part of the project adds one named benchmark to
 * `benchmarks.ts`; `handson bench` runs them and prints one table.
 */

export interface BenchContext {
  /** `--cold`: the benchmark may wipe its caches to measure a first run. */
  cold: boolean;
  /** Progress for the person waiting (not part of the results). */
  log: (line: string) => void;
  signal?: AbortSignal;
  /** `--learners`: the class size of the benchmarks that simulate one (each has its default). */
  learners?: number;
  /** The repository root, e.g. to spawn the CLI the way a user does. */
  projectRoot: string;
}

export interface Measurement {
  /** What was measured, e.g. "cached run (CLI)". */
  metric: string;
  value: number;
  unit: 'ms' | 's' | 'MB' | 'count' | '%';
  /** The target it should meet, when there is one, e.g. 5000 (ms). */
  goal?: number;
  /** The goal is a floor (`≥`: sandboxes held, throughput), not a ceiling (`≤`, the default). */
  atLeast?: boolean;
  note?: string;
}

export interface Benchmark {
  /** Also the results file name: `bench-results/<name>.json`. */
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<Measurement[]>;
}
