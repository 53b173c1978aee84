import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import YAML from 'yaml';
import { type Lesson, lessonSchema } from '#contracts/lesson.ts';

/**
 * What browser tests do on a lesson page, by role and name where a person would look, and
 * by the terminal's rendered rows for what the shell printed.
 */

const root = path.resolve(import.meta.dirname, '..', '..');

/** A lesson from content/, parsed by the lesson contract (tests read titles and messages). */
export function readLesson(folder: string): Lesson {
  const file = path.join(root, 'content', 'lessons', folder, 'lesson.yaml');
  return lessonSchema.parse(YAML.parse(readFileSync(file, 'utf8')));
}

/** Everything the terminal shows right now, one line per row. */
export function terminalText(page: Page): Promise<string> {
  return page
    .locator('.xterm-rows')
    .evaluate((rows) => [...rows.children].map((row) => row.textContent ?? '').join('\n'));
}

/** Wait until the terminal's text matches `pattern`. */
export async function expectTerminal(page: Page, pattern: RegExp, timeout = 60_000): Promise<void> {
  await expect.poll(() => terminalText(page), { timeout, interval: 250 }).toMatch(pattern);
}

/** Wait until the sandbox is ready and its shell shows a prompt. */
export async function waitForShell(page: Page): Promise<void> {
  await page.locator('[data-banner]').waitFor({ state: 'hidden', timeout: 180_000 });
  await expectTerminal(page, /[#$]\s*$/m, 60_000);
}

/** Type a command into the terminal as a person would, and press Enter. */
export async function typeCommand(page: Page, command: string): Promise<void> {
  await page.getByRole('region', { name: /^(Terminal|ターミナル|终端)$/ }).click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

/** The text of the check results after pressing Check. */
export async function pressCheck(page: Page): Promise<string> {
  const results = page.locator('[data-check-results]');
  await results.evaluate((el) => el.replaceChildren());
  await page.getByRole('button', { name: /^(Check|チェック|检查)$/ }).click();
  await expect.poll(() => results.textContent(), { timeout: 60_000 }).not.toBe('');
  return (await results.textContent()) ?? '';
}
