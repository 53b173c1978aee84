import type { Lang } from '../../contracts/lesson.ts';
import type { LoadedLesson } from '../../lessons/load-lesson.ts';
import type { ProseRun } from '../../lessons/run-commands.ts';
import { SolutionError, SolutionTypist } from '../../solutions/solution-runner.ts';
import { nextSecond } from '../../verify/next-second.ts';
import { ProseTypist } from '../../verify/prose-typist.ts';
import type { LessonOutcome, StepReport } from '../../verify/report.ts';
import type { VerifyEvent } from '../../verify/verify-lesson.ts';
import { plannedSteps } from '../../verify/verify-plan.ts';
import { launchBrowser } from '../browser.ts';
import { endBrowserSessions } from '../test-server.ts';
import {
  clickRun,
  editorSettled,
  lessonPageUrl,
  pageRuns,
  pressCheck,
  sandboxReady,
  showNextStep,
} from './lesson-page.ts';
import { PageTerminal } from './page-terminal.ts';

/**
 * The browser path: one lesson in one language on its built page in chromium, as a learner
 * takes it. The page makes the session; each step shows (the editor writes its files), each of
 * the prose's Run and Press buttons is clicked in order, then Check is pressed and the page's
 * answer read. The first step the page does not pass ends the lesson there (a learner would be
 * stuck); the later steps count as not verified. That each step's checks fail *before* its
 * commands is the replay paths' proof (`--path`); here `before.passed` is always false.
 */

export interface BrowserPlan {
  lesson: LoadedLesson;
  lang: Lang;
  /** The language's Runs per step, parsed from its MDX (for `expect`, `fails`, `timeout`). */
  runs: ReadonlyMap<string, readonly ProseRun[]>;
  /** Steps up to and including this one; undefined = every step. */
  untilStep?: string;
  /** Found before opening the page (unparsable Runs); they fail the entry. */
  problems: string[];
}

export interface BrowserVerifyOptions {
  signal?: AbortSignal;
  commandTimeoutS?: number;
  onEvent?: (event: VerifyEvent) => void;
}

const NO_PAGE = new Error('no page');

/** How long a new session may take to show its shell (a cold sandbox, a busy machine). */
const SESSION_TIMEOUT_MS = 180_000;

/**
 * @example
 * const outcome = await verifyInBrowser(plan, site.url, { commandTimeoutS: 60 });
 * outcome.passed
 */
export async function verifyInBrowser(
  plan: BrowserPlan,
  siteUrl: string,
  opts: BrowserVerifyOptions = {},
): Promise<LessonOutcome> {
  const { lesson, lang } = plan;
  const steps: StepReport[] = [];
  const problems = [...plan.problems];
  const planned = plannedSteps(plan);
  const commandTimeoutS = opts.commandTimeoutS ?? 60;
  opts.onEvent?.({ type: 'sandbox', lesson: lesson.id });
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  let term: PageTerminal | undefined;
  try {
    // No prose in this language: the plan's problems say so; there is no page to open.
    if (lesson.prose[lang] === undefined) throw NO_PAGE;
    browser = await launchBrowser({ locale: lang });
    const { page } = browser;
    term = new PageTerminal(page);
    await page.goto(lessonPageUrl(siteUrl, lang, lesson.id));
    await sandboxReady(page, SESSION_TIMEOUT_MS);
    await term.waitFor(/[#$] *$/m, { timeoutMs: SESSION_TIMEOUT_MS, signal: opts.signal });
    const marker = new SolutionTypist(term);
    await marker.prepare({ signal: opts.signal });
    let current = '';
    const typist = new ProseTypist(
      term,
      marker.prompts,
      { signal: opts.signal, commandTimeoutS },
      (run) => {
        const runs = plan.runs.get(current) ?? [];
        return clickRun(page, term!, current, runs.indexOf(run), run);
      },
    );
    for (const [index, step] of planned.entries()) {
      opts.onEvent?.({
        type: 'step',
        lesson: lesson.id,
        step: step.id,
        index,
        total: planned.length,
      });
      const started = Date.now();
      current = step.id;
      const report = { id: step.id, before: { passed: false }, after: { passed: false }, ms: 0 };
      steps.push(report);
      try {
        if (index > 0) await showNextStep(page, step.id, commandTimeoutS * 1000);
        else await editorSettled(page, commandTimeoutS * 1000);
        // History counts whole seconds after the previous step passed; a learner is never
        // quicker than that, a replay can be.
        if (step.checks.some((check) => check.kind === 'history')) await nextSecond(started);
        const stepProblems = await clickThrough(
          page,
          typist,
          step.id,
          plan.runs.get(step.id) ?? [],
        );
        const check = await pressCheck(page, commandTimeoutS * 1000);
        if (!check.passed)
          stepProblems.push(`after its prose, the page's Check says: ${check.says.join(' · ')}`);
        report.after.passed = stepProblems.length === 0;
        report.ms = Date.now() - started;
        for (const problem of stepProblems) problems.push(`step "${step.id}": ${problem}`);
        if (!check.passed) break;
      } catch (error) {
        report.ms = Date.now() - started;
        throw stepError(error, step.id);
      }
    }
  } catch (error) {
    if (error !== NO_PAGE) problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    if (browser) {
      await endBrowserSessions(browser.page, siteUrl).catch(() => undefined);
      await browser.close();
    }
    term?.dispose();
  }
  for (const step of planned.slice(steps.length)) {
    steps.push({ id: step.id, before: { passed: false }, after: { passed: false }, ms: 0 });
  }
  const outcome: LessonOutcome = {
    id: lesson.id,
    path: 'browser',
    lang,
    steps,
    passed: problems.length === 0 && steps.every((s) => s.after.passed),
    problems,
  };
  opts.onEvent?.({ type: 'done', lesson: lesson.id, outcome });
  return outcome;
}

/** Click every Run of the step; the page must show the same Runs as the MDX. */
async function clickThrough(
  page: Parameters<typeof pageRuns>[0],
  typist: ProseTypist,
  step: string,
  runs: readonly ProseRun[],
): Promise<string[]> {
  const problems: string[] = [];
  const shown = await pageRuns(page, step);
  const differs =
    shown.length !== runs.length || shown.some((s, i) => s.command !== runs[i]?.command);
  if (differs) {
    const list = (r: readonly { command?: string; keys?: string }[]) =>
      r.map((x) => x.command ?? `keys ${x.keys}`).join(' | ') || 'none';
    problems.push(`the page shows the Runs [${list(shown)}] but the prose has [${list(runs)}]`);
    return problems;
  }
  if (runs.length === 0) problems.push('its prose has no <Run> (nothing to click)');
  for (const run of runs) {
    const problem = await typist.type(run);
    if (problem) problems.push(problem);
  }
  await typist.endOfStep();
  return problems;
}

function stepError(error: unknown, step: string): Error {
  if (error instanceof SolutionError) {
    const screen = error.screen
      .split('\n')
      .map((line) => `      | ${line}`)
      .join('\n');
    return new Error(
      `step "${step}": the page could not be completed: ${error.message}\n${screen}`,
    );
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new Error(`step "${step}": on the page, ${message}`);
}
