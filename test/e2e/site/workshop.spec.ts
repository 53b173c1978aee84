import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { type LaunchedBrowser, launchBrowser } from '../../../sandbox-server/src/dev/browser.ts';
import { ensureSiteBuilt } from '../../../sandbox-server/src/dev/site-build.ts';
import {
  type RunningServer,
  startServer,
} from '../../../sandbox-server/src/server/start-server.ts';
import { adminToken } from '../../../sandbox-server/src/workshops/admin-token.ts';
import { seriousViolations } from '../axe.ts';
import { expectTerminal, pressCheck, typeCommand, waitForShell } from '../lesson-page.ts';

// An instructor and a learner, each in their own browser, on one real server: the instructor
// creates a workshop and follows the live grid, the learner joins and passes a step, the
// instructor watches the learner's terminal read-only, and a server restart changes nothing.

const config = loadConfig();
const admin = adminToken(config);
let dir: string;
let server: RunningServer;
let instructor: LaunchedBrowser;
let learner: LaunchedBrowser;
let workshopId = '';
let code = '';

const start = (port = 0) =>
  startServer({
    port,
    host: '127.0.0.1',
    driver: 'dind',
    warmPool: 1,
    config: { ...config, database: path.join(dir, 'handson.sqlite') },
    log: () => undefined,
  });

beforeAll(async () => {
  await ensureSiteBuilt();
  dir = await mkdtemp(path.join(tmpdir(), 'handson-e2e-workshop-'));
  server = await start();
  instructor = await launchBrowser({ viewport: { width: 1400, height: 900 } });
  learner = await launchBrowser();
});

afterAll(async () => {
  if (workshopId) {
    await fetch(`${server.url}/api/workshops/${workshopId}/end`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    }).catch(() => undefined);
  }
  await learner?.close();
  await instructor?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The grid row of a learner, by the name on its button. */
const gridRow = (page: Page, name: string) =>
  page.getByRole('row').filter({ has: page.getByRole('button', { name: `Watch ${name}` }) });

describe('a workshop', () => {
  it('is created on the dashboard page by an instructor with the admin token', async () => {
    const { page } = instructor;
    await page.goto(`${server.url}/en/workshop/`);
    await page.getByLabel('Admin token').fill('not-the-token-at-all');
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('not the admin token');

    await page.getByLabel('Admin token').fill(admin);
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await page.getByLabel('Title').fill('E2E class');
    for (const box of await page.getByRole('checkbox').all()) await box.uncheck();
    await page.getByRole('checkbox', { name: /engine/i }).check();
    await page.getByLabel('Learners at most').fill('2');
    await page.getByRole('button', { name: 'Create workshop' }).click();
    await page.waitForURL(/\/en\/workshop\/\?id=/);
    workshopId = new URL(page.url()).searchParams.get('id')!;
    await expect.poll(() => page.locator('[data-ws-code]').textContent()).toMatch(/^[2-9A-Z]{8}$/);
    code = (await page.locator('[data-ws-code]').textContent())!;
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Live');
  });

  it('shows a clear error for a wrong code, then lets the learner join from the link', async () => {
    const { page } = learner;
    await page.goto(`${server.url}/en/join/`);
    await page.getByLabel('Workshop code').fill('ZZZZZZ');
    await page.getByLabel('Your name').fill('Aki');
    await page.getByRole('button', { name: 'Join' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('No workshop has this code');
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${server.url}/join/?code=${code}`);
    await page.waitForURL(/\/en\/join\/\?code=/);
    await expect(page.getByLabel('Workshop code').inputValue()).resolves.toBe(code);
    await page.getByLabel('Your name').fill('Aki');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.waitForURL(/\/en\/lessons\/the-engine\//);
    await waitForShell(page);
  });

  it("updates the instructor's grid when the learner passes a step", async () => {
    const { page } = learner;
    await page
      .getByRole('button', { name: 'Type “docker version | tee version.txt” into the terminal' })
      .click();
    await expectTerminal(page, /Server:/);
    expect(await pressCheck(page)).toContain('Step done');

    const row = gridRow(instructor.page, 'Aki');
    await expect
      .poll(() => row.locator('td.cell').first().getAttribute('data-state'), { timeout: 15_000 })
      .toBe('done');
    expect(await seriousViolations(instructor.page)).toEqual([]);
  });

  it("shows the learner's terminal read-only: their typing appears, the instructor's does not reach the shell", async () => {
    const { page } = instructor;
    await page.getByRole('button', { name: 'Watch Aki' }).click();
    const shadow = page.locator('[data-shadow-terminal]');
    await expect
      .poll(() => shadow.locator('.xterm-rows').textContent(), { timeout: 30_000 })
      .toContain('Server:');
    await shadow.click();
    await page.keyboard.type('touch /tmp/from-the-instructor\n');
    await typeCommand(learner.page, 'echo shadow-$((2+3)); ls /tmp/from-the-instructor');
    await expect
      .poll(() => shadow.locator('.xterm-rows').textContent(), { timeout: 30_000 })
      .toContain('shadow-5');
    await expectTerminal(learner.page, /No such file or directory/);
  });

  it("refuses the admin API to a learner, and delivers the instructor's message to them", async () => {
    const statuses = await learner.page.evaluate(async () => {
      const session = JSON.parse(localStorage.getItem('handson.session.the-engine')!);
      const withToken = await fetch('/api/workshops', {
        headers: { authorization: `Bearer ${session.token}` },
      });
      const without = await fetch('/api/workshops');
      return [withToken.status, without.status];
    });
    expect(statuses).toEqual([403, 401]);

    await instructor.page.getByLabel('Message to everyone').fill('Break: back in 10 minutes');
    await instructor.page.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => learner.page.locator('.workshop-messages').textContent(), { timeout: 15_000 })
      .toContain('Break: back in 10 minutes');
  });

  it("keeps the workshop, the learner and the instructor's access across a server restart", async () => {
    const port = Number(new URL(server.url).port);
    await server.close();
    server = await start(port);
    await instructor.page.reload();
    await expect
      .poll(
        () => gridRow(instructor.page, 'Aki').locator('td.cell').first().getAttribute('data-state'),
        {
          timeout: 30_000,
        },
      )
      .toBe('done');
    await expect(instructor.page.locator('[data-ws-code]').textContent()).resolves.toBe(code);
  });
});
