import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchContext, Benchmark, Measurement } from './benchmark.ts';

export interface BenchResult {
  name: string;
  description: string;
  startedAt: string;
  measurements: Measurement[];
  /** Set when the benchmark itself failed; the others still run. */
  error?: string;
}

/**
 * Runs `benchmarks` one after another (they share a 2-core machine, so never in parallel),
 * writes each result to `<outDir>/<name>.json` and resolves with all of them.
 *
 * @example
 * const results = await runBenchmarks(BENCHMARKS, ctx, 'bench-results');
 * process.stdout.write(formatTable(results));
 */
export async function runBenchmarks(
  benchmarks: readonly Benchmark[],
  ctx: BenchContext,
  outDir: string,
): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  await mkdir(outDir, { recursive: true });
  for (const bench of benchmarks) {
    ctx.signal?.throwIfAborted();
    const result: BenchResult = {
      name: bench.name,
      description: bench.description,
      startedAt: new Date().toISOString(),
      measurements: [],
    };
    ctx.log(`running ${bench.name}…`);
    try {
      result.measurements = await bench.run(ctx);
    } catch (error) {
      result.error = error instanceof Error ? error.message : String(error);
    }
    await writeFile(
      path.join(outDir, `${bench.name}.json`),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    results.push(result);
  }
  return results;
}

/**
 * One plain-text table of every measurement, with a ✔/✖ against its goal.
 *
 * @example
 * formatTable([{ name: 'images', description: '', startedAt: '', measurements: [{ metric: 'cached', value: 1500, unit: 'ms', goal: 5000 }] }])
 * // benchmark  metric  value    goal
 * // images     cached  1500 ms  ≤ 5000 ms ✔
 */
export function formatTable(results: readonly BenchResult[]): string {
  const rows: string[][] = [['benchmark', 'metric', 'value', 'goal']];
  for (const result of results) {
    if (result.error) rows.push([result.name, 'failed', result.error.split('\n')[0]!, '']);
    for (const m of result.measurements) {
      const met = m.atLeast ? m.value >= (m.goal ?? 0) : m.value <= (m.goal ?? 0);
      const goal =
        m.goal === undefined
          ? ''
          : `${m.atLeast ? '≥' : '≤'} ${m.goal} ${m.unit} ${met ? '✔' : '✖'}`;
      rows.push([
        result.name,
        m.metric,
        `${m.value} ${m.unit}${m.note ? ` (${m.note})` : ''}`,
        goal,
      ]);
    }
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return `${rows
    .map((row) =>
      row
        .map((cell, col) => cell.padEnd(widths[col]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}
