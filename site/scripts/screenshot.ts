import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launchBrowser } from '../../sandbox-server/src/dev/browser.ts';
import { ensureSiteBuilt } from '../../sandbox-server/src/dev/site-build.ts';
import { startServer } from '../../sandbox-server/src/server/start-server.ts';

/**
 * `npm run screenshot`: the README's picture, taken from the real page. Starts the server
 * in-process on a free loopback port, opens lesson 01 in Debian's chromium, runs the first
 * step's command, presses Check, and writes docs/screenshot.png. Its own session is deleted
 * afterwards.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const out = path.join(root, 'docs', 'screenshot.png');
const lessonPath = process.env.HANDSON_SCREENSHOT_LESSON ?? '/en/lessons/the-engine/';

async function main(): Promise<void> {
  await ensureSiteBuilt();
  const server = await startServer({ port: 0, host: '127.0.0.1', log: () => undefined });
  const browser = await launchBrowser({ viewport: { width: 1280, height: 760 } });
  const { page } = browser;
  try {
    await page.goto(`${server.url}${lessonPath}`);
    await page.locator('[data-banner]').waitFor({ state: 'hidden', timeout: 120_000 });
    const run = page.locator('.step-prose.current [data-run-type]').first();
    await run.click();
    await page.getByRole('button', { name: /^(Check|チェック)$/ }).click();
    await page.locator('[data-check-results] .check-summary').waitFor({ timeout: 60_000 });
    // Show the first hint too, so the picture has every part of a step.
    await page.locator('[data-extras-for]:not([hidden]) [data-hint-next]').click();
    await mkdir(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    console.log(`wrote ${path.relative(root, out)}`);
  } finally {
    const session = await page
      .evaluate(() => Object.keys(localStorage).find((k) => k.startsWith('handson.session.')))
      .then((key) => (key ? page.evaluate((k) => localStorage.getItem(k), key) : null))
      .catch(() => null);
    if (session) {
      const { id, token } = JSON.parse(session) as { id: string; token: string };
      await fetch(`${server.url}/api/sessions/${id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      }).catch(() => undefined);
    }
    await browser.close();
    await server.close();
  }
}

// Exit once the picture is written: the server's warm pool and terminal streams would keep
// the event loop alive.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`screenshot failed: ${error instanceof Error ? error.message : String(error)}`);
    console.error('Is the sandbox engine up? `npx handson doctor` says what is missing.');
    process.exit(1);
  },
);
