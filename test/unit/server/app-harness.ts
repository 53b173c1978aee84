import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { OriginPolicy } from '../../../sandbox-server/src/http/origin-policy.ts';
import { contentDir, lessonCatalog } from '../../../sandbox-server/src/lessons/catalog.ts';
import { createApp } from '../../../sandbox-server/src/server/app.ts';
import type { ServerContext } from '../../../sandbox-server/src/server/context.ts';
import type { HealthCheck } from '../../../sandbox-server/src/server/healthz.ts';
import { SessionManager } from '../../../sandbox-server/src/sessions/session-manager.ts';
import { loadSessionSettings } from '../../../sandbox-server/src/sessions/settings.ts';
import { RateLimiter } from '../../../sandbox-server/src/store/rate-limiter.ts';
import { openSqlite } from '../../../sandbox-server/src/store/sqlite/open-sqlite.ts';
import { SqliteSessionRepository } from '../../../sandbox-server/src/store/sqlite/sqlite-session-repository.ts';
import { TerminalHub } from '../../../sandbox-server/src/terminal/terminal-hub.ts';
import { FakeDriver, type FakeSandbox } from '../sessions/fake-driver.ts';

/** The real Hono app over a fake driver, with helpers to call it as a client would. */
export function appHarness(
  opts: {
    health?: HealthCheck[];
    burst?: number;
    capacity?: number;
    siteDir?: string;
    /** Origins besides http://localhost (what app.request() asks for). */
    origins?: string[];
  } = {},
) {
  const driver = new FakeDriver();
  /** `lesson/step` of every replay (goto, or a session created at a step). */
  const replays: string[] = [];
  const config = loadConfig({ HANDSON_DATABASE: ':memory:' });
  const manager = new SessionManager({
    driver,
    repo: new SqliteSessionRepository(openSqlite(':memory:')),
    settings: loadSessionSettings({}),
    capacity: opts.capacity ?? 10,
    replay: async (_sandbox, lesson, step) => {
      replays.push(`${lesson}/${step}`);
    },
    stepExists: async (_lesson, step) => step !== 'no-such-step',
  });
  // app.request() asks for http://localhost/…
  const origins = new OriginPolicy(['http://localhost', ...(opts.origins ?? [])]);
  const ctx: ServerContext = {
    sessions: manager,
    createLimiter: new RateLimiter({ burst: opts.burst ?? 100, perMinute: 60 }),
    lessons: lessonCatalog(contentDir(config)),
    terminals: new TerminalHub(manager),
    origins,
  };
  const app = createApp({
    ctx,
    health: opts.health ?? [],
    siteDir: opts.siteDir ?? '/nonexistent/site/dist',
  });
  const call = (path: string, init: RequestInit & { token?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    return app.request(path, { ...init, headers });
  };
  const session = async (body: object = {}) => {
    const res = await call('/api/sessions', { method: 'POST', body: JSON.stringify(body) });
    const created = (await res.json()) as { id: string; token: string; expiresAt: string };
    const sandbox = (await manager.find(created.id)!.sandbox()) as FakeSandbox;
    return { ...created, sandbox };
  };
  return { app, driver, manager, origins, call, session, replays };
}
