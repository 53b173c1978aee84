import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGS, PARTS } from '#contracts/lesson.ts';
import { launchBrowser } from '../../../sandbox-server/src/dev/browser.ts';
import { startTestServer, type TestServer } from '../../../sandbox-server/src/dev/test-server.ts';
import { loadCourse } from '../../../sandbox-server/src/lessons/load-lesson.ts';
import { t } from '../../../site/src/client/i18n.ts';
import { progressLabel } from '../../../site/src/client/progress-label.ts';
import { seriousViolations } from '../axe.ts';
import { readLesson } from '../lesson-page.ts';

// The course index, `/` and accessibility of the pages, in a real browser.

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe('the course index', () => {
  it('sends / to the browser language the first time', async () => {
    const browser = await launchBrowser({ locale: 'ja-JP' });
    try {
      await browser.page.goto(`${server.url}/`);
      await browser.page.waitForURL(/\/ja\/$/);
      const title = readLesson('01-the-engine').title.ja!;
      await expect(browser.page.getByRole('link', { name: title }).isVisible()).resolves.toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('lists lessons in order with progress kept in the browser', async () => {
    const browser = await launchBrowser();
    try {
      const { page } = browser;
      await page.goto(`${server.url}/en/`);
      await page.evaluate(() =>
        localStorage.setItem(
          'handson.progress',
          JSON.stringify({ 'the-engine': { done: ['version', 'info'] } }),
        ),
      );
      await page.reload();
      const lesson = readLesson('01-the-engine');
      const card = page.getByRole('listitem').filter({ hasText: lesson.title.en! });
      await expect
        .poll(() => card.textContent())
        .toContain(`2 of ${lesson.steps.length} steps done`);
      const titles = await page.locator('.lesson-title').allTextContents();
      expect(titles[0]).toBe(lesson.title.en);
    } finally {
      await browser.close();
    }
  });

  it('groups the lessons into parts, titled in each language, with the steps done per part', async () => {
    const course = await loadCourse(path.resolve(import.meta.dirname, '../../../content/lessons'));
    const basics = course.filter((lesson) => lesson.spec.part === 'basics');
    const basicsSteps = basics.reduce((sum, lesson) => sum + lesson.spec.steps.length, 0);
    const browser = await launchBrowser();
    try {
      const { page } = browser;
      await page.goto(`${server.url}/en/`);
      await page.evaluate(() =>
        localStorage.setItem(
          'handson.progress',
          JSON.stringify({
            'the-engine': { done: ['version', 'info'] },
            'first-containers': { done: ['hello'] },
          }),
        ),
      );
      for (const lang of LANGS) {
        await page.goto(`${server.url}/${lang}/`);
        const titles = await page.locator('.part-title').allTextContents();
        expect(titles).toEqual(
          PARTS.map((part) => expect.stringContaining(t(lang, `part.${part}`))),
        );
        expect(await page.locator('.part-no').allTextContents()).toEqual(
          PARTS.map((_, index) => t(lang, 'index.part', { n: index + 1 })),
        );
        const part = page.getByRole('region', { name: t(lang, 'part.basics') });
        await expect
          .poll(() => part.locator('[data-part-summary] [data-progress]').textContent())
          .toBe(progressLabel(lang, 3, basicsSteps));
        expect(await part.locator('.lesson-card').count()).toBe(basics.length);
        const first = basics[0]!;
        await expect
          .poll(() => part.getByRole('listitem').first().textContent())
          .toContain(progressLabel(lang, 2, first.spec.steps.length));
      }
    } finally {
      await browser.close();
    }
  });

  it('has no serious or critical accessibility violations, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const browser = await launchBrowser({ colorScheme });
      try {
        await browser.page.goto(`${server.url}/en/`);
        expect(await seriousViolations(browser.page)).toEqual([]);
        await browser.page.goto(`${server.url}/ja/`);
        expect(await seriousViolations(browser.page)).toEqual([]);
      } finally {
        await browser.close();
      }
    }
  });

  it('a lesson page has no serious or critical accessibility violations', async () => {
    const browser = await launchBrowser();
    try {
      const { page } = browser;
      // The static page is what axe judges; no sandbox is needed for that.
      await page.route('**/api/sessions', (route) =>
        route.fulfill({
          status: 503,
          headers: { 'retry-after': '30' },
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'capacity', message: 'busy' } }),
        }),
      );
      await page.goto(`${server.url}/en/lessons/the-engine/`);
      await page.getByText(/All sandboxes are busy/).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
