import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { OriginPolicy } from '../../../sandbox-server/src/http/origin-policy.ts';
import { contentDir, lessonCatalog } from '../../../sandbox-server/src/lessons/catalog.ts';
import { ProgressRecorder } from '../../../sandbox-server/src/progress/progress-recorder.ts';
import { createApp } from '../../../sandbox-server/src/server/app.ts';
import type { ServerContext } from '../../../sandbox-server/src/server/context.ts';
import { RateLimiter } from '../../../sandbox-server/src/sessions/rate-limiter.ts';
import { SessionManager } from '../../../sandbox-server/src/sessions/session-manager.ts';
import { loadSessionSettings } from '../../../sandbox-server/src/sessions/settings.ts';
import { AttemptRepository } from '../../../sandbox-server/src/store/attempt-repository.ts';
import { openDatabase } from '../../../sandbox-server/src/store/database.ts';
import { ProgressRepository } from '../../../sandbox-server/src/store/progress-repository.ts';
import { SessionRepository } from '../../../sandbox-server/src/store/session-repository.ts';
import { WorkshopRepository } from '../../../sandbox-server/src/store/workshop-repository.ts';
import { TerminalHub } from '../../../sandbox-server/src/terminal/terminal-hub.ts';
import { adminToken } from '../../../sandbox-server/src/workshops/admin-token.ts';
import { WorkshopService } from '../../../sandbox-server/src/workshops/workshop-service.ts';
import { FakeDriver } from '../sessions/fake-driver.ts';

/**
 * The real app with the workshop routes, over a fake driver, the real course content and an
 * in-memory store; `record` stands in for a learner pressing Check.
 */
export function workshopHarness(opts: { capacity?: number } = {}) {
  const home = mkdtempSync(path.join(tmpdir(), 'handson-workshop-unit-'));
  const config = loadConfig({ HANDSON_HOME: home, HANDSON_DATABASE: ':memory:' });
  const db = openDatabase(':memory:');
  const driver = new FakeDriver();
  const manager = new SessionManager({
    driver,
    repo: new SessionRepository(db),
    settings: loadSessionSettings({}),
    capacity: opts.capacity ?? 10,
    replay: async () => {},
  });
  const progress = new ProgressRecorder(new AttemptRepository(db), new ProgressRepository(db));
  const reserved: number[] = [];
  const workshops = new WorkshopService({
    repo: new WorkshopRepository(db),
    manager,
    progress,
    catalog: lessonCatalog(contentDir(config)),
    capacity: opts.capacity ?? 10,
    reserveSeats: (seats) => reserved.push(seats),
  });
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
