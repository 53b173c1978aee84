import type { Locator, Page } from 'playwright-core';
import type { ProseRun } from '../../lessons/run-commands.ts';
import { SolutionError } from '../../solutions/solution-runner.ts';
import type { PageTerminal } from './page-terminal.ts';

/**
 * What verify does on a lesson page, by the page's data attributes (the same in every
 * language): the Run and Press buttons of a step's prose, the pager, the editor, Check.
 */

/** How long a button may take to become clickable (a hidden one never does). */
const CLICK_TIMEOUT_MS = 5000;

/** Where a lesson's page is, in one language. */
export function lessonPageUrl(base: string, lang: string, lessonId: string): string {
  return `${base}/${lang}/lessons/${lessonId}/`;
}

/** A Run as the page shows it. */
export interface PageRun {
  command?: string;
  keys?: string;
}

const section = (page: Page, step: string) =>
  page.locator(`section[data-step="${cssString(step)}"]`);

/** The Runs a step's prose shows, in page order. */
export async function pageRuns(page: Page, step: string): Promise<PageRun[]> {
  return section(page, step)
    .locator('.run')
    .evaluateAll((spans) =>
      spans.map((span) => ({
        command: (span as HTMLElement).dataset.run,
        keys: (span as HTMLElement).dataset.runKeys,
      })),
    );
}

/**
 * Click the button of the step's `index`th Run (Run, or Press for keys alone), after marking
 * the terminal so that only what follows the click answers the wait.
 */
export async function clickRun(
  page: Page,
  term: PageTerminal,
  step: string,
  index: number,
  run: ProseRun,
): Promise<void> {
  const span = section(page, step).locator('.run').nth(index);
  const button = span.locator(run.command !== undefined ? '[data-run-type]' : '[data-run-press]');
  const what = run.command !== undefined ? `\`${run.command}\`` : `keys ${run.keys}`;
  await term.markNow();
  await button.click({ timeout: CLICK_TIMEOUT_MS }).catch(async (error: unknown) => {
    const visible = await button.isVisible().catch(() => false);
    throw new SolutionError(
      `the page's ${run.command !== undefined ? 'Run' : 'Press'} button for ${what} cannot be clicked${visible ? '' : ' (it is not visible on the page)'}: ${firstLine(error)}`,
      term.screenText().split('\n').slice(-8).join('\n'),
    );
  });
}

/** Wait until the page shows `step` and its editor (if any) has written the step's files. */
export async function showNextStep(page: Page, step: string, timeoutMs: number): Promise<void> {
  await page.locator('[data-next]').click({ timeout: CLICK_TIMEOUT_MS });
  await page
    .locator(`section[data-step="${cssString(step)}"].current`)
    .waitFor({ timeout: CLICK_TIMEOUT_MS });
  await editorSettled(page, timeoutMs);
}

/** The editor is hidden (a step without files) or has read and written the step's files. */
export async function editorSettled(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () => {
      const editor = document.querySelector<HTMLElement>('[data-editor]');
      if (!editor || editor.hidden) return true;
      return !document.querySelector('[data-editor-host]')?.hasAttribute('aria-busy');
    },
    undefined,
    { timeout: timeoutMs },
  );
}

/** The page is ready: its status banner is gone (the sandbox is up). */
export async function sandboxReady(page: Page, timeoutMs: number): Promise<void> {
  await page.locator('[data-banner]').waitFor({ state: 'hidden', timeout: timeoutMs });
}

export interface PageCheck {
  passed: boolean;
  /** What the page says: its summary, then each failing check's message. */
  says: string[];
}

/** Press Check and read the result the page shows. */
export async function pressCheck(page: Page, timeoutMs: number): Promise<PageCheck> {
  const results = page.locator('[data-check-results]');
  await results.evaluate((el) => el.replaceChildren());
  await page.locator('[data-check]').click({ timeout: CLICK_TIMEOUT_MS });
  const summary = results.locator('.check-summary');
  await summary.waitFor({ timeout: timeoutMs });
  return {
    passed: await hasClass(summary, 'passed'),
    says: [
      ((await summary.textContent()) ?? '').trim(),
      ...(await results.locator('li.failed').allTextContents()).map((t) => t.trim()),
    ],
  };
}

const hasClass = (locator: Locator, name: string) =>
  locator.evaluate((el, cls) => el.classList.contains(cls), name);

const cssString = (text: string) => text.replace(/["\\]/g, '\\$&');

const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0];
