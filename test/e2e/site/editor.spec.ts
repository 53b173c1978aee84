import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonIdFromFolder } from '#contracts/lesson.ts';
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

/** The first lesson step (in course order) with several editor files. */
function findMultiFileStep() {
  for (const folder of readdirSync(lessonsDir).sort()) {
    const lesson = readLesson(folder);
    for (const step of lesson.steps) {
      const files = (step.files ?? []).filter((f) => (f.content ?? '') !== '');
      if (files.length >= 2) return { folder, step, files: files.map((f) => f.path) };
    }
  }
  throw new Error('No lesson step has two editor files: the multi-file test has nothing to open.');
}

const target = findDockerfileStep();
const multi = findMultiFileStep();
const live = useLiveSite();

/** Open a lesson at one step, as a returning learner would (not by replaying the lesson). */
async function openAtStep(folder: string, step: string): Promise<void> {
  const { page } = live.browser;
  const id = lessonIdFromFolder(folder);
  await page.goto(`${live.server.url}/en/`);
  await page.evaluate(
    ([lesson, at]) =>
      localStorage.setItem(
        'handson.progress',
        JSON.stringify({ [lesson!]: { step: at, done: [] } }),
      ),
    [id, step],
  );
  await page.goto(`${live.server.url}/en/lessons/${id}/`);
  await waitForShell(page);
}

describe('the editor', () => {
  it("writes every file of the step to the workspace, not only the open tab's", async () => {
    const { page } = live.browser;
    await openAtStep(multi.folder, multi.step.id);
    const first = page.getByRole('tab', { name: multi.files[0]! });
    await first.waitFor({ timeout: 60_000 });
    // No tab is clicked: a learner who only reads the first file still gets all of them.
    const editor = page.getByRole('region', { name: 'Editor', exact: true });
    await editor.locator('.monaco-editor').waitFor();
    await expect.poll(() => editor.getAttribute('aria-busy'), { timeout: 60_000 }).toBeNull();
    for (const file of multi.files.slice(1)) {
      expect(await page.getByRole('tab', { name: file }).getAttribute('aria-selected')).toBe(
        'false',
      );
    }
    // The shell counts the step's files it finds; the echoed command line has no digit after
    // the colon, so only the command's output can match.
    const list = multi.files.join(' ');
    await typeCommand(
      page,
      `echo "present:$(ls ${list} 2>/dev/null | wc -l) nonempty:$(cat ${list} | wc -l)"`,
    );
    await expectTerminal(page, new RegExp(`present:${multi.files.length} nonempty:[1-9]`), 60_000);
  }, 300_000);

  it('saves a Dockerfile that docker build then uses', async () => {
    const { page } = live.browser;
    await openAtStep(target.folder, target.step.id);

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
