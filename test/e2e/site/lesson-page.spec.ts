import { describe, expect, it } from 'vitest';
import {
  expectTerminal,
  pressCheck,
  readLesson,
  typeCommand,
  waitForShell,
} from '../lesson-page.ts';
import { useLiveSite } from '../live-site.ts';

// One learner's journey through lesson 01 in a real browser against the real server and
// sandbox engine: each test continues where the previous one left the page.

const FOLDER = '01-the-engine';
const lesson = readLesson(FOLDER);
const [versionStep, infoStep] = lesson.steps;
const firstContainer = lesson.steps.find((s) => s.id === 'first-container')!;
const jumpTarget = lesson.steps[lesson.steps.indexOf(firstContainer) + 1]!;

/** A name that contains `text` literally. */
const named = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

const live = useLiveSite();

describe('a lesson page', () => {
  it('types a <Run> command into the terminal, shows its output, and Check passes', async () => {
    const { page } = live.browser;
    await page.goto(`${live.server.url}/en/lessons/the-engine/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      lesson.title.en,
    );
    await waitForShell(page);

    await page
      .getByRole('button', { name: 'Type “docker version | tee version.txt” into the terminal' })
      .click();
    await expectTerminal(page, /Server:/);

    expect(await pressCheck(page)).toContain('Step done');
    await expect(
      page.getByRole('button', { name: named(versionStep!.title.en!) }).textContent(),
    ).resolves.toContain('done');
  });

  it('says what is missing when the sandbox is not in the expected state', async () => {
    const { page } = live.browser;
    await page.getByRole('button', { name: 'Next step' }).click();
    await expect(page.getByRole('heading', { level: 2 }).textContent()).resolves.toBe(
      infoStep!.title.en,
    );

    const results = await pressCheck(page);
    expect(results).toContain('Not yet');
    // The page shows `code` spans as code, without the backticks.
    expect(results).toContain(infoStep!.checks[0]!.message!.en!.replaceAll('`', ''));
  });

  it('comes back after a reload with the same step and the same screen', async () => {
    const { page } = live.browser;
    const before = await page.evaluate(() => localStorage.getItem('handson.session.the-engine'));
    await page.reload();
    // The page's script (loaded after the first paint) brings back the saved step.
    await expect
      .poll(() => page.getByRole('heading', { level: 2 }).textContent(), { timeout: 30_000 })
      .toBe(infoStep!.title.en);
    await waitForShell(page);
    await expectTerminal(page, /Server:/);
    expect(await page.evaluate(() => localStorage.getItem('handson.session.the-engine'))).toBe(
      before,
    );
  });

  it("marks the steps the server remembers as done, when this browser's memory lacks them", async () => {
    const { page } = live.browser;
    await page.evaluate(
      (step) =>
        localStorage.setItem(
          'handson.progress',
          JSON.stringify({ 'the-engine': { step, done: [] } }),
        ),
      infoStep!.id,
    );
    await page.reload();
    await expect
      .poll(() => page.getByRole('button', { name: named(versionStep!.title.en!) }).textContent(), {
        timeout: 30_000,
      })
      .toContain('done');
  });

  it('jumping ahead brings the sandbox to that step by replaying earlier solutions', async () => {
    const { page } = live.browser;
    await page.getByRole('button', { name: named(jumpTarget.title.en!) }).click();
    await expect(page.getByRole('heading', { level: 2 }).textContent()).resolves.toBe(
      jumpTarget.title.en,
    );
    await waitForShell(page);
    // The step before the target runs a container named probe; it must be there now.
    await typeCommand(page, "docker ps -a --format 'name={{.Names}}'");
    await expectTerminal(page, /name=probe/, 120_000);
  }, 300_000);

  it('opens a published port through the ports proxy', async () => {
    const { page, context } = live.browser;
    await typeCommand(page, 'docker run -d --name e2e-web -p 8080:80 nginx');
    await expectTerminal(page, /^[0-9a-f]{64}$/m, 120_000);
    await page.getByRole('spinbutton', { name: 'Port number' }).fill('8080');
    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Open', exact: true }).click(),
    ]);
    await expect
      .poll(
        async () => {
          await tab.reload();
          return tab.content();
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toContain('Welcome to nginx');
    await tab.close();
  }, 300_000);

  it('switches language on the same lesson and remembers the choice', async () => {
    const { page } = live.browser;
    await page.getByRole('link', { name: '日本語' }).click();
    await page.waitForURL(/\/ja\/lessons\/the-engine\/$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      lesson.title.ja,
    );
    await expect(page.getByRole('button', { name: 'チェック' }).isVisible()).resolves.toBe(true);
    await waitForShell(page);

    await page.goto(`${live.server.url}/`);
    await page.waitForURL(/\/ja\/$/);
  });
});
