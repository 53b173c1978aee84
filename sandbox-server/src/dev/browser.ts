import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { TEST_BROWSER } from '../doctor/checks-tests.ts';

/**
 * Debian's chromium, driven by playwright-core: headless, no network of its own (no QUIC,
 * no background requests, no updates), a fresh profile in a temp directory each time. Never
 * a downloaded browser. playwright-core is a devDependency (the e2e suite and `handson verify
 * --browser` are for a checkout with its dev tools), so it is loaded only when a browser is
 * launched, and a missing one says what to install.
 *
 * @example
 * const browser = await launchBrowser();
 * await browser.page.goto('http://127.0.0.1:4321/en/');
 * await browser.close();
 */

/** The same browser `npm test`'s setup installs (`handson setup --tests`). */
export const CHROMIUM = TEST_BROWSER;

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchedBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export interface LaunchOptions {
  viewport?: { width: number; height: number };
  locale?: string;
  colorScheme?: 'light' | 'dark';
}

/** A browser that cannot be launched here, with what to do about it. */
export class BrowserUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserUnavailableError';
  }
}

/** playwright-core, or an error saying how to get it. */
async function loadPlaywright(): Promise<typeof import('playwright-core')> {
  // A variable specifier: the module is optional at run time (a production install omits it).
  const name = 'playwright-core';
  try {
    return (await import(name)) as typeof import('playwright-core');
  } catch {
    throw new BrowserUnavailableError(
      'playwright-core is not installed (it is a devDependency): run `npm install` in the checkout, without --omit=dev.',
    );
  }
}

/** Throws a BrowserUnavailableError unless chromium and playwright-core are both here. */
export async function assertBrowserAvailable(executable: string = CHROMIUM): Promise<void> {
  await access(executable).catch(() => {
    throw new BrowserUnavailableError(
      `${executable} is missing: install Debian's chromium (\`npx handson setup --tests\`, or \`apt-get install chromium\`), or name another with HANDSON_CHROMIUM. No browser is ever downloaded.`,
    );
  });
  await loadPlaywright();
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  await assertBrowserAvailable();
  const { chromium } = await loadPlaywright();
  const profile = await mkdtemp(path.join(tmpdir(), 'handson-chromium-'));
  let context: BrowserContext;
  try {
    // A persistent context is how playwright takes a user-data-dir of our choosing.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      locale: options.locale ?? 'en-US',
      colorScheme: options.colorScheme ?? 'light',
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
