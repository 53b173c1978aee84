import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../sandbox-server/src/http/domain-error.ts';
import { headersOf, statusOf } from '../../../sandbox-server/src/http/error-handler.ts';
import { adoptSessions, SERVER_LABEL } from '../../../sandbox-server/src/sessions/adoption.ts';
import { SessionManager } from '../../../sandbox-server/src/sessions/session-manager.ts';
import { loadSessionSettings } from '../../../sandbox-server/src/sessions/settings.ts';
import { freshStore, STORE_KINDS, type StoreKind } from '../store/store-kinds.ts';
import { FakeDriver } from './fake-driver.ts';

const MIN = 60_000;

async function setup(kind: StoreKind, opts: { capacity?: number; replay?: boolean } = {}) {
  const clock = { now: 1_000_000 };
  const driver = new FakeDriver();
  const repo = (await freshStore(kind)).sessions;
  const replays: string[] = [];
  const ended: string[] = [];
  const make = () =>
    new SessionManager({
      driver,
      repo,
      settings: loadSessionSettings({ HANDSON_SESSION_TTL: '3600', HANDSON_IDLE_TIMEOUT: '600' }),
      capacity: opts.capacity ?? 10,
      now: () => clock.now,
      ...(opts.replay
        ? {
            replay: async (sandbox, lesson, step) => {
              replays.push(`${sandbox.id}:${lesson}/${step}`);
            },
            stepExists: async (_lesson, step) => step !== 'nope',
          }
        : {}),
    });
  const manager = make();
  manager.onEnd((id) => ended.push(id));
  return { clock, driver, repo, manager, replays, ended, make };
}

const status = async (fn: () => unknown) => {
  try {
    await fn();
  } catch (error) {
    return statusOf(error as DomainError);
  }
  return 200;
};

describe.each(STORE_KINDS)('SessionManager on %s', (kind) => {
  it('creates a session whose sandbox becomes ready in the background', async () => {
    const { manager, driver } = await setup(kind);
    const created = await manager.create({ lang: 'ja', lesson: 'l1' });
    const s = manager.authorize(created.id, created.token);
    expect(s.state).toBe('starting');
    const sandbox = await s.sandbox();
    expect(driver.sandboxes.has(sandbox.id)).toBe(true);
    expect(await manager.view(s)).toMatchObject({
      id: created.id,
      state: 'ready',
      lang: 'ja',
      lesson: 'l1',
    });
  });

  it('stores only the token hash', async () => {
    const { manager, repo } = await setup(kind);
    const { id, token } = await manager.create({});
    expect(JSON.stringify(await repo.get(id))).not.toContain(token);
  });

  it('answers 404 for an unknown session and 401 for a missing or wrong token', async () => {
    const { manager } = await setup(kind);
    const { id, token } = await manager.create({});
    expect(await status(() => manager.authorize('nope', token))).toBe(404);
    expect(await status(() => manager.authorize(id, undefined))).toBe(401);
    expect(await status(() => manager.authorize(id, `${token}x`))).toBe(401);
    expect(await status(() => manager.authorize(id, token))).toBe(200);
  });

  it('refuses sessions beyond capacity with 503 and a Retry-After', async () => {
    const { manager } = await setup(kind, { capacity: 2 });
    await manager.create({});
    await manager.create({});
    try {
      await manager.create({});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(statusOf(error as DomainError)).toBe(503);
      expect(Number(headersOf(error as DomainError)['Retry-After'])).toBeGreaterThan(0);
    }
  });

  it('reports a failed sandbox with a message, and reset recovers it', async () => {
    const { manager, driver } = await setup(kind);
    driver.failWith = 'engine is gone';
    const { id, token } = await manager.create({});
    const s = manager.authorize(id, token);
    await expect(s.sandbox()).rejects.toMatchObject({ status: 409, code: 'session_failed' });
    expect(await manager.view(s)).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('engine is gone'),
    });
    driver.failWith = undefined;
    expect(await manager.reset(s)).toMatchObject({ state: 'ready' });
  });

  it('reports an inner engine that stopped answering as failed, and reset gives a fresh sandbox', async () => {
    const { manager, driver } = await setup(kind);
    const { id, token } = await manager.create({});
    const s = manager.authorize(id, token);
    const first = await s.sandbox();
    driver.sandboxes.get(first.id)!.engineUp = false;
    expect(await manager.view(s)).toMatchObject({
      state: 'failed',
      message: expect.stringMatching(/not answering/),
    });
    await manager.reset(s);
    expect((await s.sandbox()).id).not.toBe(first.id);
    expect(driver.destroyed).toContain(first.id);
    expect(await manager.view(s)).toMatchObject({ state: 'ready' });
  });

  it('expires idle sessions, destroys their sandbox and tells listeners; activity postpones it', async () => {
    const { manager, clock, driver, ended } = await setup(kind);
    const a = manager.authorize(
      ...(Object.values(await manager.create({})).slice(0, 2) as [string, string]),
    );
    const b = manager.authorize(
      ...(Object.values(await manager.create({})).slice(0, 2) as [string, string]),
    );
    const sandboxA = await a.sandbox();
    await b.sandbox();
    clock.now += 9 * MIN;
    b.touch();
    clock.now += 2 * MIN;
    expect(await manager.reap()).toEqual([a.id]);
    expect(a.state).toBe('expired');
    expect(driver.destroyed).toEqual([sandboxA.id]);
    expect(ended).toContain(a.id);
    expect(b.state).toBe('ready');
    expect((await manager.view(a)).message).toMatch(/idle/);
    await expect(a.sandbox()).rejects.toMatchObject({ status: 409, code: 'session_expired' });
  });

  it('expires at the TTL; extend moves it later', async () => {
    const { manager, clock } = await setup(kind);
    const { id, token } = await manager.create({});
    const s = manager.authorize(id, token);
    await s.sandbox();
    const before = Date.parse((await manager.view(s)).expiresAt);
    clock.now += 50 * MIN;
    s.touch();
    const after = Date.parse((await manager.extend(s)).expiresAt);
    expect(after).toBe(before + 50 * MIN);
    clock.now += 15 * MIN;
    s.touch();
    expect(await manager.reap()).toEqual([]);
    clock.now += 50 * MIN;
    s.touch();
    expect(await manager.reap()).toEqual([s.id]);
    expect(await status(() => manager.extend(s))).toBe(409);
  });

  it('goto replays earlier steps in a fresh sandbox and records the step', async () => {
    const { manager, replays } = await setup(kind, { replay: true });
    const { id, token } = await manager.create({ lesson: 'l1' });
    const s = manager.authorize(id, token);
    const old = await s.sandbox();
    const view = await manager.goto(s, 'l1', 'third');
    const now = await s.sandbox();
    expect(view).toMatchObject({ state: 'ready', lesson: 'l1', step: 'third' });
    expect(now.id).not.toBe(old.id);
    expect(replays).toEqual([`${now.id}:l1/third`]);
  });

  it('goto to an unknown step is a 404, and without replay a 501', async () => {
    const withReplay = await setup(kind, { replay: true });
    const a = await withReplay.manager.create({});
    const s = withReplay.manager.authorize(a.id, a.token);
    await expect(withReplay.manager.goto(s, 'l1', 'nope')).rejects.toMatchObject({ status: 404 });
    const without = await setup(kind);
    const b = await without.manager.create({});
    const t = without.manager.authorize(b.id, b.token);
    await expect(without.manager.goto(t, 'l1', 'a')).rejects.toMatchObject({ status: 501 });
  });

  it('goto brings an expired session back with a new sandbox', async () => {
    const { manager, clock } = await setup(kind, { replay: true });
    const { id, token } = await manager.create({});
    const s = manager.authorize(id, token);
    await s.sandbox();
    clock.now += 11 * MIN;
    await manager.reap();
    expect(s.state).toBe('expired');
    expect(await manager.goto(s, 'l1', 'b')).toMatchObject({ state: 'ready', step: 'b' });
    expect(Date.parse((await manager.view(s)).expiresAt)).toBe(clock.now + 60 * MIN);
  });

  it('a reset during a slow start wins: the superseded sandbox is given back', async () => {
    const { manager, driver } = await setup(kind);
    let open!: () => void;
    driver.gate = new Promise((resolve) => {
      open = resolve;
    });
    const { id, token } = await manager.create({});
    const s = manager.authorize(id, token);
    const waiting = s.sandbox();
    const reset = manager.reset(s);
    open();
    await reset;
    const got = await waiting;
    expect(got.id).toBe((await s.sandbox()).id);
    await expect.poll(() => driver.sandboxes.size).toBe(1);
  });

  it('delete destroys the sandbox and forgets the session', async () => {
    const { manager, driver, repo } = await setup(kind);
    const { id, token } = await manager.create({});
    const s = manager.authorize(id, token);
    const sandbox = await s.sandbox();
    await manager.delete(s);
    expect(driver.destroyed).toEqual([sandbox.id]);
    expect(await repo.get(id)).toBeUndefined();
    expect(await status(() => manager.authorize(id, token))).toBe(404);
  });

  it('after a restart, re-adopts live sandboxes, expires old sessions and removes its own orphans only', async () => {
    const { manager, make, driver, repo, clock } = await setup(kind);
    const live = await manager.create({});
    const old = await manager.create({});
    await manager.find(live.id)!.sandbox();
    const oldSandbox = await manager.find(old.id)!.sandbox();
    const orphan = await driver.create({ sessionId: 'nobody', labels: { [SERVER_LABEL]: 'me' } });
    const foreign = await driver.create({
      sessionId: 'verify',
      labels: { [SERVER_LABEL]: 'other' },
    });
    const unlabelled = await driver.create({ sessionId: 'test' });
    manager.close();
    clock.now += 9 * MIN;
    await repo.update(live.id, { lastActivityAt: clock.now });
    clock.now += 2 * MIN;

    const next = make();
    const report = await adoptSessions(next, repo, driver, {
      serverId: 'me',
      now: () => clock.now,
    });
    expect(report).toMatchObject({
      adopted: [live.id],
      expired: [old.id],
      orphansDestroyed: [orphan.id],
    });
    expect(driver.destroyed.sort()).toEqual([oldSandbox.id, orphan.id].sort());
    expect(driver.sandboxes.has(foreign.id) && driver.sandboxes.has(unlabelled.id)).toBe(true);
    const s = next.authorize(live.id, live.token);
    expect(await next.view(s)).toMatchObject({ state: 'ready' });
    expect(next.find(old.id)?.state).toBe('expired');
  });

  it('after a restart, a session whose sandbox vanished is reported expired, not ready', async () => {
    const { manager, make, driver, repo, clock } = await setup(kind);
    const created = await manager.create({});
    const sandbox = await manager.find(created.id)!.sandbox();
    driver.sandboxes.delete(sandbox.id);
    const next = make();
    await adoptSessions(next, repo, driver, { serverId: 'me', now: () => clock.now });
    expect(await next.view(next.find(created.id)!)).toMatchObject({
      state: 'expired',
      message: expect.stringMatching(/no longer exists/),
    });
  });
});

describe.each(STORE_KINDS)('SessionManager idle clock on %s', (kind) => {
  it('does not idle-reap a session whose sandbox is still starting, and counts idleness from ready', async () => {
    const { manager, clock, driver } = await setup(kind);
    let open!: () => void;
    driver.gate = new Promise((resolve) => {
      open = resolve;
    });
    const { id } = await manager.create({});
    clock.now += 11 * MIN;
    expect(await manager.reap()).toEqual([]);
    open();
    await manager.find(id)!.sandbox();
    clock.now += 9 * MIN;
    expect(await manager.reap()).toEqual([]);
    clock.now += 2 * MIN;
    expect(await manager.reap()).toEqual([id]);
  });
});

describe.each(STORE_KINDS)('the maximum session lifetime on %s', (kind) => {
  it('extend stops at creation + HANDSON_SESSION_MAX_LIFETIME, then answers 409 max_lifetime', async () => {
    const clock = { now: 1_000_000 };
    const manager = new SessionManager({
      driver: new FakeDriver(),
      repo: (await freshStore(kind)).sessions,
      settings: loadSessionSettings({
        HANDSON_SESSION_TTL: '3600',
        HANDSON_SESSION_MAX_LIFETIME: '5400',
      }),
      capacity: 10,
      now: () => clock.now,
    });
    const { id, token } = await manager.create({});
    const s = manager.authorize(id, token);
    clock.now += 30 * MIN;
    expect(Date.parse((await manager.extend(s)).expiresAt)).toBe(1_000_000 + 90 * MIN);
    clock.now += 10 * MIN;
    expect(await status(() => manager.extend(s))).toBe(409);
    await expect(manager.extend(s)).rejects.toThrow(/maximum lifetime/);
    expect(s.row.expiresAt).toBe(1_000_000 + 90 * MIN);
  });
});

describe.each(STORE_KINDS)('seats held for running workshops on %s', (kind) => {
  it('refuses an anonymous session the seats promised to workshops, never a workshop learner', async () => {
    let held = 2;
    const manager = new SessionManager({
      driver: new FakeDriver(),
      repo: (await freshStore(kind)).sessions,
      settings: loadSessionSettings({}),
      capacity: 3,
      heldSeats: () => held,
    });
    await manager.create({});
    expect(await status(() => manager.create({}))).toBe(503);
    await expect(manager.create({})).rejects.toThrow(/kept for workshops \(2\)/);
    const workshop = { id: 'w1', expiresAt: Date.now() + 3600_000 };
    await manager.create({ workshop });
    held = 1; // one seat was taken
    await manager.create({ workshop });
    expect(await status(() => manager.create({ workshop }))).toBe(503); // now truly full
  });
});
