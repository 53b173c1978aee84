import type { Command } from 'commander';
import { Listr } from 'listr2';
import { loadConfig } from '../../config.ts';
import { LANGS, type Lang } from '../../contracts/lesson.ts';
import { assertBrowserAvailable } from '../../dev/browser.ts';
import {
  type BrowserPlan,
  type BrowserSite,
  browserLabel,
  planBrowser,
  startBrowserSite,
  verifyInBrowser,
} from '../../dev/verify-browser/index.ts';
import {
  dindDriver,
  type LessonOutcome,
  mergePlanRuns,
  outcomeLabel,
  planLabel,
  planLesson,
  resolveLessons,
  summaryTable,
  toJsonReport,
  VERIFY_PATHS,
  type VerifyPath,
  verifyPlan,
} from '../../verify/index.ts';
import type { RegisterCommand } from './index.ts';

/**
 * `handson verify [lesson-id | path …] [--path solution|prose|both] [--lang ja,en] [--step id]
 * [--browser] [--json] [--jobs N] [--repeat N]`: replay each lesson in a fresh sandbox — its
 * solutions, or its prose's Runs in each language — and prove every step's checks fail before
 * the step's commands and pass after them. `--browser` takes each lesson on its built page in
 * chromium instead (with `--path` as well, both). Exit 0 only when all pass.
 *
 * @example
 * npx handson verify first-containers --repeat 2
 * npx handson verify ./drafts/my-lesson --path both --json
 * npx handson verify dockerfile --path prose --lang ja --step context
 * npx handson verify dockerfile --browser --lang en
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
    .option('--path <path>', 'solution, prose (the Runs of each language) or both', 'solution')
    .option('--lang <list>', 'languages for the prose path (default: every language it has)')
    .option(
      '--step <id>',
      "verify each lesson up to this step (the lesson's later steps are left out)",
    )
    .option(
      '--json',
      'print {lessons:[{id, path, lang, steps:[{id, before, after, ms}]}], passed, failed}',
    )
    .option('--jobs <n>', 'lessons verified at the same time', '1')
    .option('--repeat <n>', 'run each lesson N times; every run must agree', '1')
    .option(
      '--browser',
      "take each lesson on its built page in Debian's chromium: click every Run and Press button, let the editor write its files, press Check (alone, or with --path given: both)",
    )
    .option('--command-timeout <seconds>', 'how long one solution command may take', '60')
    .action(
      async (
        refs: string[],
        opts: {
          browser?: boolean;
          json?: boolean;
          jobs: string;
          repeat: string;
          commandTimeout: string;
          path: string;
          lang?: string;
          step?: string;
        },
        command: Command,
      ) => {
        const jobs = positive(opts.jobs, '--jobs');
        const repeat = positive(opts.repeat, '--repeat');
        const commandTimeoutS = positive(opts.commandTimeout, '--command-timeout');
        // --browser alone is the browser path; an explicit --path adds the replays to it.
        const replays = !opts.browser || command.getOptionValueSource('path') === 'cli';
        const paths = replays ? parsePaths(opts.path) : [];
        if (opts.browser) await assertBrowserAvailable();
        const langs = opts.lang === undefined ? undefined : parseLangs(opts.lang);
        const cfg = loadConfig();
        const lessons = await resolveLessons(cfg, refs);
        if (opts.step !== undefined) {
          const hasIt = lessons.filter((l) => l.spec.steps.some((s) => s.id === opts.step));
          if (hasIt.length === 0)
            throw new Error(
              `--step ${opts.step}: no step of that id in ${lessons.map((l) => l.id).join(', ')}`,
            );
          lessons.splice(0, lessons.length, ...hasIt);
        }
        const plans = lessons.flatMap((lesson) =>
          planLesson(lesson, { paths, langs, untilStep: opts.step }),
        );
        const browserPlans = opts.browser
          ? lessons.flatMap((lesson) => planBrowser(lesson, { langs, untilStep: opts.step }))
          : [];
        const driver = await dindDriver(cfg);
        await driver.preflight();
        // One server for every browser entry, started with the first of them.
        let site: Promise<BrowserSite> | undefined;
        const openSite = () => {
          site ??= startBrowserSite(cfg, lessons);
          return site;
        };
        const abort = new AbortController();
        const onSignal = () => abort.abort(new Error('Interrupted'));
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const runs: LessonOutcome[][][] = [...plans, ...browserPlans].map(() => []);
        const tasks = new Listr(
          [
            ...plans.flatMap((plan, index) =>
              Array.from({ length: repeat }, (_, run) => ({
                title: `${planLabel(plan)}${repeat > 1 ? ` (run ${run + 1})` : ''}`,
                task: async (_ctx: unknown, task: { title: string }) => {
                  const base = task.title;
                  const outcomes = await verifyPlan(plan, driver, {
                    signal: abort.signal,
                    commandTimeoutS,
                    onEvent: (event) => {
                      if (event.type === 'sandbox') task.title = `${base}: starting a sandbox`;
                      if (event.type === 'step') {
                        task.title = `${base}: step ${event.index + 1}/${event.total} ${event.step}`;
                      }
                    },
                  });
                  runs[index]![run] = outcomes;
                  const outcome = outcomes[0]!;
                  task.title = `${base}: ${entryTime(outcome)}`;
                  if (!outcome.passed) throw new Error(outcome.problems.join('\n'));
                },
              })),
            ),
            ...browserPlans.flatMap((plan, index) =>
              Array.from({ length: repeat }, (_, run) => ({
                title: `${browserLabel(plan)}${repeat > 1 ? ` (run ${run + 1})` : ''}`,
                task: async (_ctx: unknown, task: { title: string }) => {
                  const base = task.title;
                  task.title = `${base}: building the site, starting a server`;
                  const url = await openSite().then(
                    (opened) => opened.url,
                    (error: unknown) => {
                      // No page to open: the entry fails (it is not left out of the report).
                      runs[plans.length + index]![run] = [
                        browserFailure(plan, `the site did not start: ${(error as Error).message}`),
                      ];
                      throw error;
                    },
                  );
                  const outcome = await verifyInBrowser(plan, url, {
                    signal: abort.signal,
                    commandTimeoutS,
                    onEvent: (event) => {
                      if (event.type === 'sandbox') task.title = `${base}: opening the page`;
                      if (event.type === 'step') {
                        task.title = `${base}: step ${event.index + 1}/${event.total} ${event.step}`;
                      }
                    },
                  });
                  runs[plans.length + index]![run] = [outcome];
                  task.title = `${base}: ${entryTime(outcome)}`;
                  if (!outcome.passed) throw new Error(outcome.problems.join('\n'));
                },
              })),
            ),
          ],
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
          if (site) await (await site.catch(() => undefined))?.close();
        }
        const outcomes = runs.flatMap((r) => mergePlanRuns(r));
        const report = toJsonReport(outcomes);
        if (opts.json) {
          // Machine output stays clean on stdout; the reasons still reach a person or a CI log.
          for (const o of outcomes)
            for (const p of o.problems) process.stderr.write(`${outcomeLabel(o)}: ${p}\n`);
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

/** A browser entry that could not begin: every step unverified, and why. */
function browserFailure(plan: BrowserPlan, problem: string): LessonOutcome {
  const steps = plan.lesson.spec.steps.map((step) => ({
    id: step.id,
    before: { passed: false },
    after: { passed: false },
    ms: 0,
  }));
  return {
    id: plan.lesson.id,
    path: 'browser',
    lang: plan.lang,
    steps,
    passed: false,
    problems: [problem],
  };
}

/** `7 steps, 41.2 s` */
function entryTime(outcome: LessonOutcome): string {
  const ms = outcome.steps.reduce((sum, s) => sum + s.ms, 0);
  return `${outcome.steps.length} steps, ${(ms / 1000).toFixed(1)} s`;
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${flag} expects a whole number ≥ 1, got "${value}"`);
  return n;
}

function parsePaths(value: string): VerifyPath[] {
  if (value === 'both') return [...VERIFY_PATHS];
  if ((VERIFY_PATHS as readonly string[]).includes(value)) return [value as VerifyPath];
  throw new Error(`--path expects solution, prose or both, got "${value}"`);
}

function parseLangs(value: string): Lang[] {
  const langs = value
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);
  const unknown = langs.filter((l) => !(LANGS as readonly string[]).includes(l));
  if (langs.length === 0 || unknown.length > 0)
    throw new Error(`--lang expects a list of ${LANGS.join(', ')}, got "${value}"`);
  return langs as Lang[];
}
