import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { parseTrustedProxies } from '../../../sandbox-server/src/http/client-address.ts';
import {
  type RunningServer,
  startServer,
} from '../../../sandbox-server/src/server/start-server.ts';
import { SERVER_LABEL } from '../../../sandbox-server/src/sessions/adoption.ts';
import { FakeDriver } from '../sessions/fake-driver.ts';
import { freshDatabase, STORE_KINDS, type StoreKind } from '../store/store-kinds.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A server's options on a fresh database of `kind`, as HANDSON_DATABASE names it. */
async function options(kind: StoreKind, driver = new FakeDriver()) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handson-serve-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const config = loadConfig({ HANDSON_DATABASE: await freshDatabase(kind), HANDSON_HOME: dir });
  return {
    driver,
    config,
    port: 0,
    host: '127.0.0.1',
    health: [],
    replay: null,
    warmPool: 0,
    log: () => {},
  };
}

async function start(opts: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  const running = await startServer(opts);
  cleanup.push(() => running.close());
  return running;
}

describe.each(STORE_KINDS)('startServer on %s', (kind) => {
  it('serves the API on the chosen address and closes cleanly', async () => {
    const running = await start(await options(kind));
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${running.url}/api/sessions`, { method: 'POST' });
    expect(res.status).toBe(201);
    await running.close();
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });

  it('says clearly when the port is taken', async () => {
    const first = await start(await options(kind));
    const port = Number(new URL(first.url).port);
    await expect(start({ ...(await options(kind)), port })).rejects.toThrow(
      new RegExp(`Port ${port} on 127.0.0.1 is already in use.*--port`),
    );
  });

  it('refuses a second server on a database a live server holds, and leaves its sandboxes alone', async () => {
    const opts = await options(kind);
    const first = await start({ ...opts, warmPool: 1 });
    await expect.poll(() => first.pool?.available).toBe(1);
    const before = [...opts.driver.sandboxes.keys()];
    await expect(start({ ...opts, warmPool: 1 })).rejects.toThrow(
      new RegExp(`Another handson server is running.*pid ${process.pid}, ${first.url}`),
    );
    expect([...opts.driver.sandboxes.keys()]).toEqual(before);
    expect(opts.driver.destroyed).toEqual([]);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
  });

  it('refuses to put the host driver (a shell as this user) on a non-loopback address', async () => {
    const driver = new FakeDriver();
    Object.defineProperty(driver, 'name', { value: 'host' });
    await expect(start({ ...(await options(kind, driver)), host: '0.0.0.0' })).rejects.toThrow(
      /host driver .* loopback only, not --host 0\.0\.0\.0/,
    );
    const local = await start(await options(kind, driver));
    expect((await fetch(`${local.url}/healthz`)).status).toBe(200);
  });

  it('answers only for its own names: a foreign Host gets 421, an added public name works', async () => {
    const running = await start({
      ...(await options(kind)),
      origins: ['https://course.example.com'],
    });
    const { port } = new URL(running.url);
    const ask = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/healthz', headers: { host } });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
      });
    expect(await ask(`evil.example:${port}`)).toBe(421);
    expect(await ask(`localhost:${port}`)).toBe(200);
    expect(await ask('course.example.com')).toBe(200);
  });

  it('surfaces the driver preflight refusal', async () => {
    const driver = new FakeDriver();
    driver.preflight = async () => {
      throw new Error(
        'The sandbox engine does not remap user namespaces: learners would be host root.',
      );
    };
    await expect(start(await options(kind, driver))).rejects.toThrow(/remap user namespaces/);
  });

  it('re-adopts sessions after a restart on the same database', async () => {
    const opts = await options(kind);
    const first = await start(opts);
    const created = await (await fetch(`${first.url}/api/sessions`, { method: 'POST' })).json();
    const auth = { authorization: `Bearer ${created.token}` };
    await expect
      .poll(
        async () =>
          (await (await fetch(`${first.url}/api/sessions/${created.id}`, { headers: auth })).json())
            .state,
      )
      .toBe('ready');
    await first.close();

    const serverId = [...opts.driver.sandboxes.values()][0]!.labels[SERVER_LABEL]!;
    const orphan = await opts.driver.create({
      sessionId: 'gone',
      labels: { [SERVER_LABEL]: serverId },
    });
    const foreign = await opts.driver.create({ sessionId: 'verify' });
    const second = await start(opts);
    expect(second.adoption).toMatchObject({ adopted: [created.id], orphansDestroyed: [orphan.id] });
    expect(opts.driver.sandboxes.has(foreign.id)).toBe(true);
    const res = await fetch(`${second.url}/api/sessions/${created.id}`, { headers: auth });
    expect(await res.json()).toMatchObject({ id: created.id, state: 'ready' });
  });

  it('rate-limits session creation per client address over real HTTP', async () => {
    const running = await start({
      ...(await options(kind)),
      settings: { createBurst: 1, createPerMinute: 1 },
    });
    expect((await fetch(`${running.url}/api/sessions`, { method: 'POST' })).status).toBe(201);
    const limited = await fetch(`${running.url}/api/sessions`, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('counts each client a trusted proxy names with its own budget, and a forged name not at all', async () => {
    const running = await start({
      ...(await options(kind)),
      settings: { createBurst: 1, createPerMinute: 1 },
      trustedProxies: parseTrustedProxies('127.0.0.1'),
    });
    const create = (forwardedFor: string) =>
      fetch(`${running.url}/api/sessions`, {
        method: 'POST',
        headers: { 'x-forwarded-for': forwardedFor },
      }).then((res) => res.status);
    expect(await create('203.0.113.9')).toBe(201);
    expect(await create('203.0.113.9')).toBe(429);
    expect(await create('198.51.100.4')).toBe(201);
    // Behind no trusted proxy the header is the client's own word: one budget for the socket.
    const direct = await start({ ...(await options(kind)), settings: { createBurst: 1 } });
    const forged = (forwardedFor: string) =>
      fetch(`${direct.url}/api/sessions`, {
        method: 'POST',
        headers: { 'x-forwarded-for': forwardedFor },
      }).then((res) => res.status);
    expect(await forged('203.0.113.9')).toBe(201);
    expect(await forged('198.51.100.4')).toBe(429);
  });

  it('reaps sessions past a short idle timeout in the background', async () => {
    const opts = await options(kind);
    const running = await start({ ...opts, settings: { idleMs: 300, reapIntervalMs: 100 } });
    const created = await (await fetch(`${running.url}/api/sessions`, { method: 'POST' })).json();
    const headers = { authorization: `Bearer ${created.token}` };
    await expect
      .poll(
        async () =>
          (await (await fetch(`${running.url}/api/sessions/${created.id}`, { headers })).json())
            .state,
        {
          timeout: 5000,
        },
      )
      .toBe('expired');
    await expect.poll(() => opts.driver.sandboxes.size).toBe(0);
  });
});
