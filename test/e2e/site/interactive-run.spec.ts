import { describe, expect, it } from 'vitest';
import { expectTerminal, pressCheck, readLesson, waitForShell } from '../lesson-page.ts';
import { useLiveSite } from '../live-site.ts';

// An interactive step as the page shows it: a <Run> that starts `docker run -it`, then a
// <Run keys="C-p C-q" /> whose Press button detaches, so the container keeps running.

const lesson = readLesson('02-first-containers');
const interactive = lesson.steps.find((s) => s.id === 'interactive')!;
const named = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

const live = useLiveSite();

describe('an interactive step on the lesson page', () => {
  it('shows the keys to press, and its Press button sends them to the terminal', async () => {
    const { page } = live.browser;
    await page.goto(`${live.server.url}/en/lessons/first-containers/`);
    await waitForShell(page);
    await page.getByRole('button', { name: named(interactive.title.en!) }).click();
    await waitForShell(page);

    const prose = page.locator('[data-step="interactive"]');
    await expect(prose.locator('kbd').allTextContents()).resolves.toEqual(['Ctrl-P', 'Ctrl-Q']);
    await page
      .getByRole('button', {
        name: 'Type “docker run -it --name box -h playground debian bash” into the terminal',
      })
      .click();
    await expectTerminal(page, /root@playground:\/# *$/m);
    await page.getByRole('button', { name: 'Press Ctrl-P Ctrl-Q in the terminal' }).click();
    // Detached: the sandbox's own prompt comes back after the container's.
    await expectTerminal(page, /root@playground:\/#.*root@handson/);

    expect(await pressCheck(page)).toContain('Step done');
  });
});
