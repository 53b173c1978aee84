import { describe, expect, it } from 'vitest';
import { launchBrowser } from '../../../sandbox-server/src/dev/browser.ts';
import { chineseProblems } from '../../unit/helpers/chinese-text.ts';
import { seriousViolations } from '../axe.ts';
import {
  expectTerminal,
  pressCheck,
  readLesson,
  typeCommand,
  waitForShell,
} from '../lesson-page.ts';
import { useLiveSite } from '../live-site.ts';

// A learner who reads Simplified Chinese: the browser's zh-* language leads to /zh/, a lesson
// runs and checks in Chinese, a failed check says in Chinese what was expected and what was
// found, the language switch keeps the sandbox and the step, and the pages pass axe.
// Each test continues where the previous one left the page.

const lesson = readLesson('02-first-containers');
const [hello, echo] = lesson.steps;
const SESSION_KEY = 'handson.session.first-containers';

const live = useLiveSite();

describe('the course in Simplified Chinese', () => {
  it('sends / to /zh/ for any Chinese browser language, tagged zh-Hans', async () => {
    const browser = await launchBrowser({ locale: 'zh-TW' });
    try {
      await browser.page.goto(`${live.server.url}/`);
      await browser.page.waitForURL(/\/zh\/$/);
      expect(await browser.page.locator('html').getAttribute('lang')).toBe('zh-Hans');
      await expect(
        browser.page.getByRole('link', { name: readLesson('01-the-engine').title.zh! }).isVisible(),
      ).resolves.toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('runs a step from the Chinese prose and Check passes in Chinese', async () => {
    const { page } = live.browser;
    await page.goto(`${live.server.url}/zh/lessons/first-containers/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      lesson.title.zh,
    );
    await waitForShell(page);
    await page.getByRole('button', { name: '把“docker run hello-world”输入到终端' }).click();
    await expectTerminal(page, /Hello from Docker/, 120_000);

    const results = await pressCheck(page);
    expect(results).toContain('这一步完成了');
    await expect(
      page.getByRole('button', { name: new RegExp(hello!.title.zh!) }).textContent(),
    ).resolves.toContain('已完成');
  }, 300_000);

  it('says in Chinese what a check expected and what it found', async () => {
    const { page } = live.browser;
    await page.getByRole('button', { name: '下一步' }).click();
    await expect(page.getByRole('heading', { level: 2 }).textContent()).resolves.toBe(
      echo!.title.zh,
    );
    // The greeting misspelt: the container runs and exits fine, its log does not match.
    await typeCommand(page, 'docker run --name greeter debian echo "Hello wrld"');
    await expectTerminal(page, /^Hello wrld\s*$/m, 120_000);

    const results = await pressCheck(page);
    expect(results).toContain('还没有完成');
    const failure = await page.locator('[data-check-results] li.failed').first().textContent();
    expect(chineseProblems(failure ?? '')).toEqual([]);
    expect(failure).toContain('"Hello world"'); // expected
    expect(failure).toContain('Hello wrld'); // found
  }, 300_000);

  it('the language switch keeps the sandbox and the step, in every direction', async () => {
    const { page } = live.browser;
    const session = await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY);
    expect(session).not.toBeNull();
    const visits = [
      { link: '日本語', path: 'ja', title: echo!.title.ja, lang: 'ja' },
      { link: 'English', path: 'en', title: echo!.title.en, lang: 'en' },
      { link: '简体中文', path: 'zh', title: echo!.title.zh, lang: 'zh-Hans' },
      { link: 'English', path: 'en', title: echo!.title.en, lang: 'en' },
      { link: '日本語', path: 'ja', title: echo!.title.ja, lang: 'ja' },
      { link: '简体中文', path: 'zh', title: echo!.title.zh, lang: 'zh-Hans' },
    ];
    for (const visit of visits) {
      await page.getByRole('link', { name: visit.link, exact: true }).click();
      await page.waitForURL(new RegExp(`/${visit.path}/lessons/first-containers/$`));
      expect(await page.locator('html').getAttribute('lang')).toBe(visit.lang);
      await expect
        .poll(() => page.getByRole('heading', { level: 2 }).textContent(), { timeout: 30_000 })
        .toBe(visit.title);
      await waitForShell(page);
      // The same sandbox: its screen still shows what was typed before the switch.
      await expectTerminal(page, /Hello wrld/);
      expect(await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).toBe(session);
    }
  }, 600_000);

  it('has no serious or critical accessibility violations on the Chinese pages', async () => {
    const { page } = live.browser;
    expect(await seriousViolations(page)).toEqual([]);
    for (const path of ['/zh/', '/zh/join/', '/zh/workshop/']) {
      await page.goto(`${live.server.url}${path}`);
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-Hans');
      expect(await seriousViolations(page), path).toEqual([]);
    }
  });
});
