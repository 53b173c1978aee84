import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { launchBrowser } from '../../../../test/e2e/browser.ts';
import { endBrowserSessions } from '../../../../test/e2e/server.ts';
import { ensureSiteBuilt } from '../../../../test/e2e/site-build.ts';
import { loadConfig } from '../../config.ts';
import { createDriver } from '../../sandbox/index.ts';
import { WarmPool } from '../../sandbox/warm-pool.ts';
import { startServer } from '../../server/start-server.ts';
import type { BenchContext, Measurement } from '../benchmark.ts';
import { percentile } from '../terminal/probes.ts';

/**
 * Issue 8's "terminal interactive ≤1.5 s after load with a warm pool": a first visit (fresh
 * browser profile, empty cache) to a lesson page, timed from navigation to the shell's prompt in
 * the page's terminal, and to the first typed command's output. Every sample takes a sandbox
 * booted ahead by the warm pool, as a learner arriving at a running server does.
 */

const SAMPLES = 5;
const LESSON_PATH = '/en/lessons/first-containers/';
const PROMPT = /[#$]\s*$/m;

async function oneVisit(url: string, index: number): Promise<{ promptMs: number; echoMs: number }> {
  const browser = await launchBrowser();
  const { page } = browser;
  try {
    const started = performance.now();
    await page.goto(url);
    await page.waitForFunction(
      ([source, flags]) => {
        const rows = [...(document.querySelector('.xterm-rows')?.children ?? [])];
        return new RegExp(source, flags).test(rows.map((r) => r.textContent ?? '').join('\n'));
      },
      [PROMPT.source, PROMPT.flags] as const,
      { timeout: 120_000, polling: 'raf' },
    );
    const promptMs = performance.now() - started;
    const marker = `interactive-${index}`;
    await page.getByRole('region', { name: /^(Terminal|ターミナル)$/ }).click();
    // The quotes keep the echoed command line itself from matching the output row.
    await page.keyboard.type(`echo ${marker.replace('-', '""-')}\n`);
    await page.waitForFunction(
      (m) =>
        [...(document.querySelector('.xterm-rows')?.children ?? [])].some(
          (row) => row.textContent?.trim() === m,
        ),
      marker,
      { timeout: 30_000, polling: 'raf' },
    );
    const echoMs = performance.now() - started;
    return { promptMs, echoMs };
  } finally {
    await endBrowserSessions(page, new URL(url).origin).catch(() => undefined);
    await browser.close();
  }
}

/** The measurements (loaded only when the site benchmark runs: it pulls in the browser). */
export async function interactive(ctx: BenchContext): Promise<Measurement[]> {
  await ensureSiteBuilt();
  const dir = await mkdtemp(path.join(tmpdir(), 'handson-bench-site-'));
  const config = { ...loadConfig(), database: path.join(dir, 'handson.sqlite') };
  const driver = createDriver('dind', config);
  // Our own pool, filled before the clock starts: every visit finds a booted sandbox.
  const pool = new WarmPool(driver, {
    size: SAMPLES,
    spec: { labels: { 'dev.handson.bench': 'site' } },
  });
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    driver,
    config,
    source: pool,
    log: () => undefined,
  });
  try {
    pool.fill();
    ctx.log(`site: booting ${SAMPLES} sandboxes ahead…`);
    await pool.settled();
    const prompt: number[] = [];
    const echo: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      ctx.signal?.throwIfAborted();
      const visit = await oneVisit(`${server.url}${LESSON_PATH}`, i);
      ctx.log(`site: visit ${i + 1}: prompt ${Math.round(visit.promptMs)} ms`);
      prompt.push(visit.promptMs);
      echo.push(visit.echoMs);
    }
    return [
      {
        metric: 'lesson page load → terminal prompt (fresh browser, warm pool), p50',
        value: Math.round(percentile(prompt, 0.5)),
        unit: 'ms',
        goal: 1500,
      },
      {
        metric: 'lesson page load → terminal prompt, worst of 5',
        value: Math.round(Math.max(...prompt)),
        unit: 'ms',
      },
      {
        metric: 'lesson page load → first command echoed, p50',
        value: Math.round(percentile(echo, 0.5)),
        unit: 'ms',
      },
    ];
  } finally {
    await server.close();
    await pool.drain();
    await rm(dir, { recursive: true, force: true });
  }
}
