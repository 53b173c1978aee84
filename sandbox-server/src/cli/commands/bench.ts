import path from 'node:path';
import type { Command } from 'commander';
import { BENCHMARKS } from '../../bench/benchmarks.ts';
import { loadConfig } from '../../config.ts';
import type { RegisterCommand } from './index.ts';

/**
 * `handson bench [names…] [--cold] [--json]` (`npm run bench`): run the project's benchmarks,
 * print one table and write `bench-results/<name>.json`.
 *
 * @example
 * npx handson bench images --cold
 */
export const registerBench: RegisterCommand = (program: Command) => {
  program
    .command('bench')
    .description('Run the benchmarks, print one table and write bench-results/<name>.json.')
    .argument(
      '[names...]',
      `benchmarks to run (default all: ${BENCHMARKS.map((b) => b.name).join(', ')})`,
    )
    .option('--cold', 'also measure first runs: wipes caches (slow; rebuilds everything)')
    .option('--json', 'print the results as JSON instead of a table')
    .option(
      '--learners <n>',
      'class size for the benchmarks that simulate one (workshop, failover; default 100)',
    )
    .action(
      async (names: string[], opts: { cold?: boolean; json?: boolean; learners?: string }) => {
        const learners = opts.learners === undefined ? undefined : Number(opts.learners);
        if (
          learners !== undefined &&
          (!Number.isInteger(learners) || learners < 1 || learners > 1000)
        ) {
          throw new Error(`--learners ${opts.learners} is not a whole number from 1 to 1000.`);
        }
        const unknown = names.filter((name) => !BENCHMARKS.some((b) => b.name === name));
        if (unknown.length > 0) {
          throw new Error(
            `Unknown benchmark ${unknown.join(', ')}. Known: ${BENCHMARKS.map((b) => b.name).join(', ')}.`,
          );
        }
        const selected =
          names.length > 0 ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;
        const { projectRoot } = loadConfig();
        const { formatTable, runBenchmarks } = await import('../../bench/runner.ts');
        const results = await runBenchmarks(
          selected,
          {
            cold: opts.cold ?? false,
            ...(learners !== undefined ? { learners } : {}),
            projectRoot,
            log: (line) => process.stderr.write(`${line}\n`),
          },
          path.join(projectRoot, 'bench-results'),
        );
        process.stdout.write(opts.json ? `${JSON.stringify(results)}\n` : formatTable(results));
        if (results.some((r) => r.error)) process.exitCode = 1;
      },
    );
};
