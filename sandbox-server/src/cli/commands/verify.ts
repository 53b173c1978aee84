import type { Command } from 'commander';
import { Listr } from 'listr2';
import { loadConfig } from '../../config.ts';
import {
  dindDriver,
  type LessonOutcome,
  mergeRepeats,
  resolveLessons,
  summaryTable,
  toJsonReport,
  verifyLesson,
} from '../../verify/index.ts';
import type { RegisterCommand } from './index.ts';

/**
 * `handson verify [lesson-id | path …] [--json] [--jobs N] [--repeat N]`: replay each lesson in
 * a fresh sandbox and prove every step's checks fail before its solution and pass after it.
 * Exit 0 only when all pass.
 *
 * @example
 * npx handson verify first-containers --repeat 2
 * npx handson verify ./drafts/my-lesson --json
 */
export const registerVerify: RegisterCommand = (program: Command) => {
  program
    .command('verify')
    .description(
      "Replay lessons in fresh sandboxes: each step's checks must fail before its solution and pass after it. Accepts lesson ids and lesson folders (drafts outside content/ too); no argument = the whole course.",
    )
    .argument(
      '[lessons...]',
      'lesson ids (first-containers), folder names or paths to lesson folders',
    )
    .option('--json', 'print {lessons:[{id, steps:[{id, before, after, ms}]}], passed, failed}')
    .option('--jobs <n>', 'lessons verified at the same time', '1')
    .option('--repeat <n>', 'run each lesson N times; every run must agree', '1')
    .option('--command-timeout <seconds>', 'how long one solution command may take', '60')
    .action(
      async (
        refs: string[],
        opts: { json?: boolean; jobs: string; repeat: string; commandTimeout: string },
      ) => {
        const jobs = positive(opts.jobs, '--jobs');
        const repeat = positive(opts.repeat, '--repeat');
        const commandTimeoutS = positive(opts.commandTimeout, '--command-timeout');
        const cfg = loadConfig();
        const lessons = await resolveLessons(cfg, refs);
        const driver = await dindDriver(cfg);
        await driver.preflight();
        const abort = new AbortController();
        const onSignal = () => abort.abort(new Error('Interrupted'));
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const runs: LessonOutcome[][] = lessons.map(() => []);
        const tasks = new Listr(
          lessons.flatMap((lesson, index) =>
            Array.from({ length: repeat }, (_, run) => ({
              title: `${lesson.id}${repeat > 1 ? ` (run ${run + 1})` : ''}`,
              task: async (_ctx: unknown, task: { title: string }) => {
                const base = task.title;
                const outcome = await verifyLesson(lesson, driver, {
                  signal: abort.signal,
                  commandTimeoutS,
                  onEvent: (event) => {
                    if (event.type === 'sandbox') task.title = `${base}: starting a sandbox`;
                    if (event.type === 'step') {
                      task.title = `${base}: step ${event.index + 1}/${event.total} ${event.step}`;
                    }
                  },
                });
                runs[index]![run] = outcome;
                const ms = outcome.steps.reduce((sum, s) => sum + s.ms, 0);
                task.title = `${base}: ${outcome.steps.length} steps, ${(ms / 1000).toFixed(1)} s`;
                if (!outcome.passed) throw new Error(outcome.problems.join('\n'));
              },
            })),
          ),
          {
            concurrent: jobs,
            exitOnError: false,
            renderer: opts.json ? 'silent' : 'default',
            fallbackRenderer: opts.json ? 'silent' : 'simple',
            rendererOptions: { collapseErrors: false },
          },
        );
        try {
          await tasks.run();
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
        const outcomes = runs.map((r) => mergeRepeats(r));
        const report = toJsonReport(outcomes);
        if (opts.json) {
          // Machine output stays clean on stdout; the reasons still reach a person or a CI log.
          for (const o of outcomes)
            for (const p of o.problems) process.stderr.write(`${o.id}: ${p}\n`);
          process.stdout.write(`${JSON.stringify(report)}\n`);
        } else process.stdout.write(`\n${summaryTable(outcomes)}`);
        const code = report.failed === 0 ? 0 : 1;
        process.exitCode = code;
        // A sandbox stream left open by a hung solution must not keep the CLI alive: the report
        // is out, so leave shortly even if some socket lingers.
        setTimeout(() => process.exit(code), 2000).unref();
      },
    );
};

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${flag} expects a whole number ≥ 1, got "${value}"`);
  return n;
}
