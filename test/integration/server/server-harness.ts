import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { lessonCatalog } from '../../../sandbox-server/src/lessons/catalog.ts';
import type { DindDriver } from '../../../sandbox-server/src/sandbox/dind/dind-driver.ts';
import { createDriver } from '../../../sandbox-server/src/sandbox/index.ts';
import {
  type RunningServer,
  type StartServerOptions,
  startServer,
} from '../../../sandbox-server/src/server/start-server.ts';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/goto-lessons');

/**
 * `handson serve` in-process on a free port, on the real sandbox engine with the real dind
 * driver, with its own throwaway database. `dispose()` deletes every session it still has
 * (destroying their sandboxes), stops the servers and removes the database.
 */
export function serverHarness() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handson-server-'));
  const config = loadConfig({ ...process.env, HANDSON_DATABASE: path.join(dir, 'db.sqlite') });
  const driver = createDriver('dind', config) as DindDriver;
  const servers: { running: RunningServer; closed: () => boolean }[] = [];

  const start = async (opts: Partial<StartServerOptions> = {}) => {
    const started = await startServer({
      config,
      driver,
      port: 0,
      host: '127.0.0.1',
      warmPool: 0,
      health: [],
      catalog: lessonCatalog(fixtures),
      log: () => {},
      ...opts,
    });
    // Closed servers are skipped by dispose (their database is closed).
    let closed = false;
    const running = {
      ...started,
      close: () => {
        closed = true;
        return started.close();
      },
    };
    servers.push({ running, closed: () => closed });
    return running;
  };

  const dispose = async () => {
    for (const { running, closed } of servers.splice(0)) {
      if (closed()) continue;
      for (const session of [...running.manager.live.values()]) {
        await running.manager.delete(session);
      }
      await running.close();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  return { config, driver, start, dispose };
}

/** A small HTTP client for one session, as a browser would use the API. */
export function client(url: string) {
  const call = (p: string, init: RequestInit & { token?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    return fetch(`${url}${p}`, { ...init, headers });
  };
  return {
    call,
    async create(body: object = {}) {
      const res = await call('/api/sessions', { method: 'POST', body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string; token: string; expiresAt: string };
    },
    async state(s: { id: string; token: string }) {
      const res = await call(`/api/sessions/${s.id}`, { token: s.token });
      return (await res.json()) as { state: string; expiresAt: string; message?: string };
    },
  };
}
