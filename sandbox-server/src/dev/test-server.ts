import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { loadConfig } from '../config.ts';
import { startServer } from '../server/start-server.ts';
import { ensureSiteBuilt } from './site-build.ts';

/**
 * The real server for browser tests, in-process: the built site, the API and the terminal
 * WebSockets on a free loopback port, sandboxes on the project's own engine, and a throwaway
 * SQLite file so tests never touch a developer's sessions.
 *
 * @example
 * const server = await startTestServer();
 * await page.goto(`${server.url}/en/`);
 * await server.close();
 */
export interface TestServer {
  url: string;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  await ensureSiteBuilt();
  // HANDSON_E2E_URL runs the suite against a server that is already up (a deployment, or a
  // developer's `handson serve`) instead of starting one.
  const external = process.env.HANDSON_E2E_URL;
  if (external) return { url: external.replace(/\/$/, ''), close: async () => undefined };
  const dir = await mkdtemp(path.join(tmpdir(), 'handson-e2e-'));
  const config = { ...loadConfig(), database: path.join(dir, 'handson.sqlite') };
  const running = await startServer({
    port: 0,
    host: '127.0.0.1',
    driver: 'dind',
    config,
    log: () => undefined,
  });
  return {
    url: running.url,
    async close() {
      await running.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * End every session the page's browser keeps (DELETE through the API), so a test run leaves
 * no sandboxes behind.
 */
export async function endBrowserSessions(page: Page, baseUrl: string): Promise<void> {
  const sessions = await page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith('handson.session.'))
      .map((key) => JSON.parse(localStorage.getItem(key) ?? '{}') as { id: string; token: string }),
  );
  for (const s of sessions) {
    await fetch(`${baseUrl}/api/sessions/${s.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${s.token}` },
    }).catch(() => undefined);
  }
}
