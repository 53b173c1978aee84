import { describe, expect, it } from 'vitest';
import { appHarness } from '../server/app-harness.ts';

describe('session routes', () => {
  it('POST /api/sessions answers 201 {id, token, expiresAt, learner} and sets the learner cookie', async () => {
    const { call } = appHarness();
    const res = await call('/api/sessions', {
      method: 'POST',
      body: JSON.stringify({ lesson: '03-lifecycle', lang: 'ja' }),
    });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toEqual({
      id: expect.any(String),
      token: expect.any(String),
      expiresAt: expect.any(String),
      learner: expect.stringMatching(/^[A-Za-z0-9_-]{16,64}$/),
    });
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
    expect(res.headers.get('set-cookie')).toContain(`handson_learner=${body.learner}`);
    expect(res.headers.get('set-cookie')).toContain('HttpOnly');
  });

  it('POST /api/sessions {lesson, step} starts the sandbox at that step: one provisioning, replayed', async () => {
    const { call, manager, replays } = appHarness();
    const res = await call('/api/sessions', {
      method: 'POST',
      body: JSON.stringify({ lesson: 'first-containers', step: 'logs', lang: 'en' }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await manager.find(id)!.sandbox();
    expect(replays).toEqual(['first-containers/logs']);
    expect(manager.find(id)!.step).toBe('logs');
  });

  it('POST /api/sessions refuses a step without its lesson (400) and an unknown step (404)', async () => {
    const { call } = appHarness();
    const post = (body: object) =>
      call('/api/sessions', { method: 'POST', body: JSON.stringify(body) });
    const orphan = await post({ step: 'logs' });
    expect(orphan.status).toBe(400);
    expect((await orphan.json()).error.message).toMatch(/^field "step"/);
    const unknown = await post({ lesson: 'first-containers', step: 'no-such-step' });
    expect(unknown.status).toBe(404);
  });

  it('creates a session in Simplified Chinese and reports its language', async () => {
    const { call } = appHarness();
    const res = await call('/api/sessions', {
      method: 'POST',
      body: JSON.stringify({ lesson: '03-lifecycle', lang: 'zh' }),
    });
    expect(res.status).toBe(201);
    const { id, token } = await res.json();
    const view = await call(`/api/sessions/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect((await view.json()).lang).toBe('zh');
  });

  it('keeps the learner of the cookie a browser already has', async () => {
    const { call } = appHarness();
    const res = await call('/api/sessions', {
      method: 'POST',
      headers: { cookie: 'handson_learner=abcdefghijklmnop1234' },
    });
    expect((await res.json()).learner).toBe('abcdefghijklmnop1234');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('accepts an empty body as no options', async () => {
    const { call } = appHarness();
    expect((await call('/api/sessions', { method: 'POST' })).status).toBe(201);
  });

  it('answers 400 naming the field for a bad body, and for malformed JSON', async () => {
    const { call } = appHarness();
    const bad = await call('/api/sessions', {
      method: 'POST',
      body: JSON.stringify({ lang: 'fr' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 'bad_request', message: expect.stringContaining('field "lang"') },
    });
    const junk = await call('/api/sessions', { method: 'POST', body: '{nope' });
    expect(junk.status).toBe(400);
    expect((await junk.json()).error.message).toMatch(/not valid JSON/);
  });

  it('answers 413 for an oversized body', async () => {
    const { call } = appHarness();
    const res = await call('/api/sessions', {
      method: 'POST',
      body: JSON.stringify({ pad: 'x'.repeat(100_000) }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('too_large');
  });

  it('GET reports state, lesson, step and both expiry clocks', async () => {
    const { call, session } = appHarness();
    const s = await session({ lesson: 'l1' });
    const res = await call(`/api/sessions/${s.id}`, { token: s.token });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      id: s.id,
      state: 'ready',
      lesson: 'l1',
      step: null,
      expiresAt: s.expiresAt,
    });
    expect(Date.parse(body.idleExpiresAt)).toBeLessThan(Date.parse(body.expiresAt));
  });

  it('GET ?wait= holds a starting session until its sandbox is ready', async () => {
    const { call, driver } = appHarness();
    let open = () => {};
    driver.gate = new Promise((resolve) => {
      open = resolve;
    });
    const res = await call('/api/sessions', { method: 'POST' });
    const s = (await res.json()) as { id: string; token: string };
    expect((await (await call(`/api/sessions/${s.id}`, { token: s.token })).json()).state).toBe(
      'starting',
    );
    const waiting = Promise.resolve(call(`/api/sessions/${s.id}?wait=20`, { token: s.token }));
    let answered = false;
    void waiting.then(() => {
      answered = true;
    });
    // Still held while the sandbox is being created…
    await call('/healthz');
    expect(answered).toBe(false);
    open();
    // …and answered with the ready state once it is.
    expect((await (await waiting).json()).state).toBe('ready');
  });

  it('GET ?wait= answers at once when the wait runs out, and refuses a bad wait', async () => {
    const { call, driver } = appHarness();
    driver.gate = new Promise(() => {});
    const s = (await (await call('/api/sessions', { method: 'POST' })).json()) as {
      id: string;
      token: string;
    };
    const res = await call(`/api/sessions/${s.id}?wait=0.05`, { token: s.token });
    expect((await res.json()).state).toBe('starting');
    for (const wait of ['31', '-1', 'soon']) {
      const bad = await call(`/api/sessions/${s.id}?wait=${wait}`, { token: s.token });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.message).toMatch(/"wait" is seconds from 0 to 30/);
    }
  });

  it('answers 404 for an unknown session and 401 without or with a wrong token', async () => {
    const { call, session } = appHarness();
    const s = await session();
    expect((await call('/api/sessions/nope', { token: s.token })).status).toBe(404);
    const missing = await call(`/api/sessions/${s.id}`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await call(`/api/sessions/${s.id}`, { token: 'wrong' })).status).toBe(401);
    for (const path of ['reset', 'extend', 'goto']) {
      expect((await call(`/api/sessions/${s.id}/${path}`, { method: 'POST' })).status).toBe(401);
    }
    expect((await call(`/api/sessions/${s.id}`, { method: 'DELETE' })).status).toBe(401);
  });

  it('answers 429 with Retry-After when one client creates too many', async () => {
    const { call } = appHarness({ burst: 2 });
    await call('/api/sessions', { method: 'POST' });
    await call('/api/sessions', { method: 'POST' });
    const res = await call('/api/sessions', { method: 'POST' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await res.json()).error.code).toBe('rate_limited');
  });

  it('answers 503 with Retry-After at capacity', async () => {
    const { call } = appHarness({ capacity: 1 });
    await call('/api/sessions', { method: 'POST' });
    const res = await call('/api/sessions', { method: 'POST' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await res.json()).error).toMatchObject({ code: 'at_capacity' });
  });

  it('answers 503 with Retry-After and the reason when the driver refuses new sandboxes', async () => {
    const { call, driver, manager } = appHarness();
    driver.refusal =
      'No new sandbox can start now: the disk pool that holds the sandboxes is full.';
    const res = await call('/api/sessions', { method: 'POST' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(await res.json()).toEqual({
      error: { code: 'disk_low', message: driver.refusal },
    });
    expect(manager.live.size).toBe(0);
    driver.refusal = undefined;
    expect((await call('/api/sessions', { method: 'POST' })).status).toBe(201);
  });

  it('reset gives a fresh sandbox, extend a later expiresAt, goto records the step', async () => {
    const { call, session, manager } = appHarness();
    const s = await session({ lesson: 'l1' });
    const reset = await call(`/api/sessions/${s.id}/reset`, { method: 'POST', token: s.token });
    expect(reset.status).toBe(200);
    expect((await manager.find(s.id)!.sandbox()).id).not.toBe(s.sandbox.id);
    const extend = await call(`/api/sessions/${s.id}/extend`, { method: 'POST', token: s.token });
    expect(Date.parse((await extend.json()).expiresAt)).toBeGreaterThanOrEqual(
      Date.parse(s.expiresAt),
    );
    const goto = await call(`/api/sessions/${s.id}/goto`, {
      method: 'POST',
      token: s.token,
      body: JSON.stringify({ lesson: 'l1', step: 'two' }),
    });
    expect(await goto.json()).toMatchObject({ state: 'ready', lesson: 'l1', step: 'two' });
    const noStep = await call(`/api/sessions/${s.id}/goto`, {
      method: 'POST',
      token: s.token,
      body: JSON.stringify({ lesson: 'l1' }),
    });
    expect(noStep.status).toBe(400);
    expect((await noStep.json()).error.message).toContain('field "step"');
  });

  it('DELETE answers 204 and the session is gone', async () => {
    const { call, session, driver } = appHarness();
    const s = await session();
    expect((await call(`/api/sessions/${s.id}`, { method: 'DELETE', token: s.token })).status).toBe(
      204,
    );
    expect(driver.sandboxes.size).toBe(0);
    expect((await call(`/api/sessions/${s.id}`, { token: s.token })).status).toBe(404);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { call } = appHarness();
    const res = await call('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'No route GET /api/nothing-here.' },
    });
  });
});
