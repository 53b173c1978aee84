import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../../sandbox-server/src/config.ts';
import type { DindDriver } from '../../../sandbox-server/src/sandbox/dind/dind-driver.ts';
import { SERVER_LABEL } from '../../../sandbox-server/src/sessions/adoption.ts';
import { dindDriver } from '../sandbox/support.ts';
import {
  listeningUrl,
  type ServeProcess,
  serveDir,
  serverIdOf,
  spawnServe,
  stopServe,
} from './serve-process.ts';

// An operator runs `npx handson serve` while `npm start` already serves the same database.
describe('a second server on the same database', () => {
  const { dir, remove } = serveDir();
  let driver: DindDriver;
  let first: ServeProcess;
  let firstUrl: string;
  const started: ServeProcess[] = [];
  const poolOf = async (serverId: string) =>
    (await driver.list()).filter(
      (r) => r.labels[SERVER_LABEL] === serverId && r.labels[LABELS.pool] === 'true',
    );

  beforeAll(async () => {
    driver = await dindDriver();
    first = spawnServe(dir, { HANDSON_WARM_POOL: '1' });
    started.push(first);
    firstUrl = await listeningUrl(first);
  });
  afterAll(async () => {
    for (const serve of started) await stopServe(serve);
    // Whatever a killed server left behind (its pool) is collected by a last clean start.
    const last = spawnServe(dir);
    await listeningUrl(last);
    await stopServe(last);
    remove();
  });

  it('exits within seconds, non-zero, naming the running server, and leaves its sandboxes alone', async () => {
    const serverId = serverIdOf(dir);
    await expect.poll(async () => (await poolOf(serverId)).length, { timeout: 60_000 }).toBe(1);
    const pooled = (await poolOf(serverId)).map((r) => r.id);

    const second = spawnServe(dir, { HANDSON_WARM_POOL: '1' });
    started.push(second);
    // Seconds: most of it is loading the CLI (slower still on a busy shared 2-core machine).
    const code = await Promise.race([
      second.exited,
      new Promise((resolve) => setTimeout(resolve, 30_000, 'still running after 30 s')),
    ]);
    expect(code).not.toBe(0);
    expect(typeof code).toBe('number');
    expect(second.stderr()).toContain(`pid ${first.pid}, ${firstUrl}`);

    expect((await poolOf(serverId)).map((r) => r.id)).toEqual(pooled);
    expect((await fetch(`${firstUrl}/healthz`)).status).toBe(200);
  });

  it('after a crash (SIGKILL) the next server takes the lock over and collects the old pool', async () => {
    const serverId = serverIdOf(dir);
    await expect.poll(async () => (await poolOf(serverId)).length, { timeout: 60_000 }).toBe(1);
    const leftBehind = (await poolOf(serverId)).map((r) => r.id);
    first.child.kill('SIGKILL');
    await first.exited;

    const next = spawnServe(dir);
    started.push(next);
    await listeningUrl(next);
    await expect.poll(() => next.stderr()).toMatch(/removed 1 orphaned sandboxes/);
    const remaining = (await driver.list()).map((r) => r.id);
    expect(remaining.filter((id) => leftBehind.includes(id))).toEqual([]);
  });
});
