import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonIdFromFolder } from '../../../sandbox-server/src/contracts/lesson.ts';
import { expectTerminal, readLesson, typeCommand, waitForShell } from '../lesson-page.ts';
import { useLiveSite } from '../live-site.ts';

// The editor in a real browser: Monaco loads only on a step with files, and what it saves is
// the file `docker build` uses in the sandbox.

const lessonsDir = path.resolve(import.meta.dirname, '..', '..', '..', 'content', 'lessons');

/** The first lesson step (in course order) that edits a Dockerfile. */
function findDockerfileStep() {
  for (const folder of readdirSync(lessonsDir).sort()) {
    const lesson = readLesson(folder);
    for (const [index, step] of lesson.steps.entries()) {
      const file = step.files?.find((f) => /(^|\/)Dockerfile$/.test(f.path));
      if (file) return { folder, lesson, index, step, file: file.path };
    }
  }
  throw new Error('No lesson step edits a Dockerfile: add `files:` to one in content/lessons.');
}

const target = findDockerfileStep();
const live = useLiveSite();

describe('the editor', () => {
  it('saves a Dockerfile that docker build then uses', async () => {
    const { page } = live.browser;
    const id = lessonIdFromFolder(target.folder);
    await page.goto(`${live.server.url}/en/`);
    // Start at the step (as a returning learner would), not by replaying the lesson.
    await page.evaluate(
      ([lesson, step]) =>
        localStorage.setItem('handson.progress', JSON.stringify({ [lesson!]: { step, done: [] } })),
      [id, target.step.id],
    );
    await page.goto(`${live.server.url}/en/lessons/${id}/`);
    await waitForShell(page);

    const tab = page.getByRole('tab', { name: target.file });
    await tab.waitFor({ timeout: 60_000 });
    await tab.click();
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    const editor = page.getByRole('region', { name: 'Editor', exact: true });
    await editor.locator('.monaco-editor').waitFor();
    // The file's text is read from the sandbox first; typing before that would be overwritten.
    await expect.poll(() => editor.getAttribute('aria-busy'), { timeout: 60_000 }).toBeNull();
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('FROM busybox\nLABEL handson.e2e=saved-from-the-editor\n');
    await page.getByRole('button', { name: `Save ${target.file} to the sandbox` }).click();
    await page.getByText(`Saved ${target.file}`).waitFor();

    const dir = path.posix.dirname(target.file);
    await typeCommand(
      page,
      `docker build -q -t e2e-editor ${dir} && docker image inspect -f 'label={{index .Config.Labels "handson.e2e"}}' e2e-editor`,
    );
    await expectTerminal(page, /label=saved-from-the-editor/, 120_000);
    expect(await page.getByRole('tab', { name: target.file }).getAttribute('aria-selected')).toBe(
      'true',
    );
  }, 300_000);
});
