import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonIdFromFolder } from '#contracts/lesson.ts';
import { expectTerminal, readLesson, typeCommand, waitForShell } from '../lesson-page.ts';
import { useLiveSite } from '../live-site.ts';

// The site's Content-Security-Policy must not break the page it protects: Astro's scripts, the
// terminal (xterm) and the editor (Monaco, with its worker) all run under it in a real browser.

const lessonsDir = path.resolve(import.meta.dirname, '..', '..', '..', 'content', 'lessons');

/** The first step in course order that opens the editor (it has files). */
function stepWithFiles() {
  for (const folder of readdirSync(lessonsDir).sort()) {
    const step = readLesson(folder).steps.find((s) => (s.files ?? []).length > 0);
    if (step)
      return { lesson: lessonIdFromFolder(folder), step: step.id, file: step.files![0]!.path };
  }
  throw new Error('No lesson step has files: add `files:` to one in content/lessons.');
}

const target = stepWithFiles();
const live = useLiveSite();

describe('the site under its Content-Security-Policy', () => {
  it('runs the lesson page, terminal and editor with no violation reported', async () => {
    const { page } = live.browser;
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(
          `Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`,
        );
      });
    });
    await page.goto(`${live.server.url}/en/`);
    await page.evaluate(
      ([lesson, step]) =>
        localStorage.setItem('handson.progress', JSON.stringify({ [lesson!]: { step, done: [] } })),
      [target.lesson, target.step],
    );
    const response = await page.goto(`${live.server.url}/en/lessons/${target.lesson}/`);
    expect(response?.headers()['content-security-policy']).toMatch(/frame-ancestors 'self'/);
    expect(await page.evaluate(() => document.documentElement.classList.contains('js'))).toBe(true);

    await waitForShell(page);
    await typeCommand(page, 'echo csp-$((6*7))');
    await expectTerminal(page, /csp-42/);

    const tab = page.getByRole('tab', { name: target.file });
    await tab.waitFor({ timeout: 60_000 });
    await tab.click();
    const editor = page.getByRole('region', { name: 'Editor', exact: true });
    await editor.locator('.monaco-editor .view-lines').waitFor({ timeout: 60_000 });
    await expect.poll(() => editor.getAttribute('aria-busy'), { timeout: 60_000 }).toBeNull();
    expect(violations).toEqual([]);
  });
});
