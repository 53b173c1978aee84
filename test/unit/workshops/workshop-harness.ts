import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { OriginPolicy } from '../../../sandbox-server/src/http/origin-policy.ts';
import { contentDir, lessonCatalog } from '../../../sandbox-server/src/lessons/catalog.ts';
import { ProgressRecorder } from '../../../sandbox-server/src/progress/progress-recorder.ts';
import { createApp } from '../../../sandbox-server/src/server/app.ts';
import type { ServerContext } from '../../../sandbox-server/src/server/context.ts';
import { SessionManager } from '../../../sandbox-server/src/sessions/session-manager.ts';
import { loadSessionSettings } from '../../../sandbox-server/src/sessions/settings.ts';
import { RateLimiter } from '../../../sandbox-server/src/store/rate-limiter.ts';
import { openSqlite } from '../../../sandbox-server/src/store/sqlite/open-sqlite.ts';
import { SqliteAttemptRepository } from '../../../sandbox-server/src/store/sqlite/sqlite-attempt-repository.ts';
import { SqliteProgressRepository } from '../../../sandbox-server/src/store/sqlite/sqlite-progress-repository.ts';
import { SqliteSessionRepository } from '../../../sandbox-server/src/store/sqlite/sqlite-session-repository.ts';
import { SqliteWorkshopRepository } from '../../../sandbox-server/src/store/sqlite/sqlite-workshop-repository.ts';
import type { Store } from '../../../sandbox-server/src/store/store.ts';
import { TerminalHub } from '../../../sandbox-server/src/terminal/terminal-hub.ts';
import { adminToken } from '../../../sandbox-server/src/workshops/admin-token.ts';
import { WorkshopService } from '../../../sandbox-server/src/workshops/workshop-service.ts';
import { FakeDriver } from '../sessions/fake-driver.ts';
import { freshStore, type StoreKind } from '../store/store-kinds.ts';

/**
 * The real app with the workshop routes, over a fake driver, the real course content and a
 * fresh store: in-memory SQLite by default (`db`, to reach under the repositories), or a new
 * database on the test Postgres.
 */
export async function workshopHarness(opts: { capacity?: number; kind?: StoreKind } = {}) {
  const home = mkdtempSync(path.join(tmpdir(), 'handson-workshop-unit-'));
  const config = loadConfig({ HANDSON_HOME: home, HANDSON_DATABASE: ':memory:' });
  let db: Database | undefined;
  let store: Pick<Store, 'sessions' | 'attempts' | 'progress' | 'workshops'>;
  if (opts.kind === 'postgres') {
    store = await freshStore('postgres');
  } else {
    const sqlite = openSqlite(':memory:');
    db = sqlite;
    store = {
      sessions: new SqliteSessionRepository(sqlite),
      attempts: new SqliteAttemptRepository(sqlite),
      progress: new SqliteProgressRepository(sqlite),
      workshops: new SqliteWorkshopRepository(sqlite),
    };
  }
  const driver = new FakeDriver();
  const manager = new SessionManager({
    driver,
    repo: store.sessions,
    settings: loadSessionSettings({}),
    capacity: opts.capacity ?? 10,
    replay: async () => {},
  });
  const progress = new ProgressRecorder(store.attempts, store.progress);
  const reserved: number[] = [];
  const workshops = new WorkshopService({
    repo: store.workshops,
    manager,
    progress,
    catalog: lessonCatalog(contentDir(config)),
    capacity: opts.capacity ?? 10,
    reserveSeats: (seats) => reserved.push(seats),
  });
  await workshops.start();
  const admin = adminToken(config, {});
  const ctx: ServerContext = {
    sessions: manager,
    createLimiter: new RateLimiter({ burst: 100, perMinute: 60 }),
    lessons: lessonCatalog(contentDir(config)),
    terminals: new TerminalHub(manager),
    progress,
    workshops: { service: workshops, adminToken: admin },
    // app.request() asks for http://localhost/…
    origins: new OriginPolicy(['http://localhost']),
  };
  const app = createApp({
    ctx,
    health: [],
    siteDir: '/nonexistent/site/dist',
  });
  const call = (url: string, init: RequestInit & { token?: string; json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    const body = init.json === undefined ? init.body : JSON.stringify(init.json);
    return app.request(url, { ...init, body, headers });
  };
  const createWorkshop = async (over: object = {}) => {
    const res = await call('/api/workshops', {
      method: 'POST',
      token: admin,
      json: { lessons: ['first-containers'], durationMinutes: 60, maxLearners: 3, ...over },
    });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string; code: string };
  };
  const join = (code: string, name: string, extra: object = {}) =>
    call('/api/workshops/join', { method: 'POST', json: { code, name, ...extra } });
  return {
    app,
    call,
    admin,
    manager,
    progress,
    workshops,
    reserved,
    config,
    ctx,
    db,
    createWorkshop,
    join,
  };
}
