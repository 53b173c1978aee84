import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGS } from '#contracts/lesson.ts';
import { launchBrowser } from '../../../sandbox-server/src/dev/browser.ts';
import { startTestServer, type TestServer } from '../../../sandbox-server/src/dev/test-server.ts';
import { loadLesson } from '../../../sandbox-server/src/lessons/load-lesson.ts';
import { proseFigures } from '../../../sandbox-server/src/lessons/prose-figures.ts';

// A lesson's figures on its built page: the file is served and decodes as an image, with the
// prose's alt text, in every language and colour scheme.

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe("a lesson's figures", () => {
  it('show on the page with the alt text of each language, light and dark', async () => {
    const lesson = await loadLesson(
      path.resolve(import.meta.dirname, '../../../content/lessons/01-the-engine'),
    );
    for (const colorScheme of ['light', 'dark'] as const) {
      const browser = await launchBrowser({ colorScheme });
      try {
        const { page } = browser;
        // Only the static page is looked at: no sandbox is needed.
        await page.route('**/api/sessions', (route) =>
          route.fulfill({
            status: 503,
            headers: { 'retry-after': '30' },
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'capacity', message: 'busy' } }),
          }),
        );
        for (const lang of LANGS) {
          const [figure] = proseFigures(lesson.prose[lang] ?? '');
          expect(figure?.step).toBe('version');
          await page.goto(`${server.url}/${lang}/lessons/the-engine/`);
          const image = page.getByRole('img', { name: figure!.alt, exact: true });
          await image.waitFor();
          await expect
            .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
            .toBeGreaterThan(0);
          // Each language shows its own drawing, which carries its dark palette itself.
          const src = (await image.getAttribute('src')) ?? '';
          expect(src).toContain(`engine.${lang}.`);
          const response = await page.request.get(new URL(src, server.url).href);
          expect(response.headers()['content-type']).toContain('image/svg+xml');
          expect(await response.text()).toContain('prefers-color-scheme:dark');
        }
      } finally {
        await browser.close();
      }
    }
  });
});
