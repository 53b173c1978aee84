import { describe, expect, it, vi } from 'vitest';
import { serverSentEvents as sseEvents } from '#contracts/server-sent-events.ts';
import { STORE_KINDS } from '../store/store-kinds.ts';
import { workshopHarness } from './workshop-harness.ts';

type Joined = { id: string; token: string; learner: string; secret: string; lesson: string };

/** A learner's event stream (instructor messages, the workshop's end), as parsed events. */
async function learnerEvents(
  h: Awaited<ReturnType<typeof workshopHarness>>,
  learner: Joined,
  signal: AbortSignal,
) {
  const res = await h.call(`/api/sessions/${learner.id}/events`, { token: learner.token, signal });
  return sseEvents(res.body!);
}

describe.each(STORE_KINDS)('workshop API on %s', (kind) => {
  it('refuses admin routes without the admin token (401) and with a learner token (403)', async () => {
    const h = await workshopHarness({ kind });
    const w = await h.createWorkshop();
    const learner = (await (await h.join(w.code, 'Aki')).json()) as Joined;
    expect((await h.call('/api/workshops')).status).toBe(401);
    for (const url of ['/api/workshops', `/api/workshops/${w.id}/learners`]) {
      const res = await h.call(url, { token: learner.token });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('forbidden');
    }
    const end = await h.call(`/api/workshops/${w.id}/end`, {
      method: 'POST',
      token: learner.token,
    });
    expect(end.status).toBe(403);
    expect(h.manager.find(learner.id)).toBeDefined();
  });

  it('creates a workshop with a readable join code and paths, and reserves its seats', async () => {
    const h = await workshopHarness({ kind });
    const res = await h.call('/api/workshops', {
      method: 'POST',
      token: h.admin,
      json: {
        title: 'Docker 入門',
        lessons: ['02-first-containers'],
        durationMinutes: 90,
        maxLearners: 4,
      },
    });
    expect(res.status).toBe(201);
    const w = await res.json();
    expect(w).toMatchObject({
      title: 'Docker 入門',
      lessons: ['first-containers'],
      maxLearners: 4,
      state: 'running',
      learners: 0,
    });
    expect(w.code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(w.joinPath).toBe(`/en/join/?code=${w.code}`);
    expect(h.reserved.at(-1)).toBe(4);
  });

  it('answers 400 naming the field for unknown lessons and bad bodies, 409 beyond capacity', async () => {
    const h = await workshopHarness({ capacity: 5, kind });
    const post = (json: unknown) =>
      h.call('/api/workshops', { method: 'POST', token: h.admin, json });
    const unknown = await post({ lessons: ['nope'], durationMinutes: 60, maxLearners: 2 });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.message).toContain('"nope"');
    const bad = await post({ lessons: [], durationMinutes: 60, maxLearners: 2 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('lessons');
    const over = await post({ lessons: ['first-containers'], durationMinutes: 60, maxLearners: 6 });
    expect(over.status).toBe(409);
    expect((await over.json()).error.message).toContain('at most 5 learners');
  });

  it('joins with the code and a name; wrong code 404, taken name 409, full 409', async () => {
    const h = await workshopHarness({ kind });
    const w = await h.createWorkshop({ maxLearners: 2 });
    const first = await h.join(w.code.toLowerCase(), 'Aki');
    expect(first.status).toBe(201);
    const joined = (await first.json()) as Joined;
    expect(joined.lesson).toBe('first-containers');
    expect(first.headers.get('set-cookie')).toContain(`handson_learner=${joined.learner}`);
    expect((await h.call(`/api/sessions/${joined.id}`, { token: joined.token })).status).toBe(200);

    const wrong = await h.join('ZZZZZZ', 'Ben');
    expect(wrong.status).toBe(404);
    expect((await wrong.json()).error.code).toBe('unknown_code');
    const taken = await h.join(w.code, 'Aki');
    expect(taken.status).toBe(409);
    expect((await taken.json()).error.code).toBe('name_taken');
    expect((await h.join(w.code, 'Ben')).status).toBe(201);
    const full = await h.join(w.code, 'Chie');
    expect(full.status).toBe(409);
    expect((await full.json()).error.message).toContain('full');
  });

  it('slows down guessing: after 10 wrong codes an address gets 429, and the right code still joins', async () => {
    const h = await workshopHarness({ kind });
    const w = await h.createWorkshop({ maxLearners: 5 });
    // Right codes are never counted: a class behind one address joins freely.
    for (const name of ['A1', 'A2', 'A3']) expect((await h.join(w.code, name)).status).toBe(201);
    for (let i = 0; i < 10; i++) expect((await h.join('ZZZZZZZZ', `G${i}`)).status).toBe(404);
    const blocked = await h.join('ZZZZZZZY', 'Guess');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await blocked.json()).error.code).toBe('too_many_wrong_codes');
    expect((await h.join(w.code, 'Late')).status).toBe(201);
  });

  it('lets a learner re-join as themselves: same session, a new token, the old one refused', async () => {
    const h = await workshopHarness({ kind });
    const w = await h.createWorkshop();
    const first = (await (await h.join(w.code, 'Aki')).json()) as Joined;
    const again = (await (
      await h.join(w.code, 'Aki', { learner: first.learner, secret: first.secret })
    ).json()) as Joined;
    expect(again.id).toBe(first.id);
    expect(again.token).not.toBe(first.token);
    expect((await h.call(`/api/sessions/${first.id}`, { token: again.token })).status).toBe(200);
    expect((await h.call(`/api/sessions/${first.id}`, { token: first.token })).status).toBe(401);
  });

  it('shows each learner on the grid from their checks, stuck learners first', async () => {
    const h = await workshopHarness({ kind });
    const w = await h.createWorkshop();
    const aki = (await (await h.join(w.code, 'Aki')).json()) as Joined;
    const ben = (await (await h.join(w.code, 'Ben')).json()) as Joined;
    const at = Date.now();
    // Awaited: on Postgres the writes take a round trip, and the grid must see them.
    await h.progress.record({
      sessionId: aki.id,
      learnerId: aki.learner,
      lesson: 'first-containers',
      step: 'hello',
      passed: true,
      message: null,
      at,
    });
    for (let i = 0; i < 3; i++) {
      await h.progress.record({
        sessionId: ben.id,
        learnerId: ben.learner,
        lesson: 'first-containers',
        step: 'hello',
        passed: false,
        message: 'no container ran hello-world',
        at,
      });
    }
    const res = await h.call(`/api/workshops/${w.id}/learners`, { token: h.admin });
    const grid = await res.json();
    expect(grid.steps[0]).toEqual({ lesson: 'first-containers', step: 'hello' });
    expect(grid.learners.map((l: { name: string }) => l.name)).toEqual(['Ben', 'Aki']);
    expect(grid.learners[0]).toMatchObject({
      stuck: true,
      failedAttempts: 3,
      lastFailure: 'no container ran hello-world',
    });
    expect(grid.learners[0].cells[0]).toBe('failing');
    expect(grid.learners[1].cells.slice(0, 2)).toEqual(['done', 'working']);
  });

  it("streams the dashboard live: a learner's check arrives as a new snapshot", async () => {
    const h = await workshopHarness({ kind });
    const w = await h.createWorkshop();
    const aki = (await (await h.join(w.code, 'Aki')).json()) as Joined;
    const ac = new AbortController();
    const res = await h.call(`/api/workshops/${w.id}/events`, {
      token: h.admin,
      signal: ac.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = sseEvents(res.body!);
    const first = await events.next();
    expect(JSON.parse(first.value!.data).learners[0].passed).toBe(0);
    h.progress.record({
      sessionId: aki.id,
      learnerId: aki.learner,
      lesson: 'first-containers',
      step: 'hello',
      passed: true,
      message: null,
      at: Date.now(),
    });
    const second = await events.next();
    expect(second.value!.event).toBe('dashboard');
    expect(JSON.parse(second.value!.data).learners[0].passed).toBe(1);
    ac.abort();
  });

  it("broadcasts a message to learners' event streams", async () => {
    const h = await workshopHarness({ kind });
    const w = await h.createWorkshop();
    const aki = (await (await h.join(w.code, 'Aki')).json()) as Joined;
    const ac = new AbortController();
    const events = await learnerEvents(h, aki, ac.signal);
    expect(JSON.parse((await events.next()).value!.data)).toMatchObject({
      type: 'workshop',
      state: 'running',
    });
    const sent = await h.call(`/api/workshops/${w.id}/broadcast`, {
      method: 'POST',
      token: h.admin,
      json: { text: '10 分休憩します' },
    });
    expect(sent.status).toBe(201);
    const message = await events.next();
    expect(message.value!.event).toBe('message');
    expect(JSON.parse(message.value!.data)).toMatchObject({
      type: 'message',
      text: '10 分休憩します',
    });
    ac.abort();
  });

  it('issues a read-only terminal ticket for a learner, and gives a learner more time', async () => {
    const h = await workshopHarness({ kind });
    const w = await h.createWorkshop();
    const aki = (await (await h.join(w.code, 'Aki')).json()) as Joined & { expiresAt: string };
    const ticket = await h.call(`/api/workshops/${w.id}/learners/${aki.learner}/terminal`, {
      method: 'POST',
      token: h.admin,
    });
    expect(ticket.status).toBe(200);
    expect(await ticket.json()).toMatchObject({ mode: 'read', terminal: 'main', session: aki.id });
    const extend = await h.call(`/api/workshops/${w.id}/learners/${aki.learner}/extend`, {
      method: 'POST',
      token: h.admin,
      json: { minutes: 30 },
    });
    const { expiresAt } = await extend.json();
    expect(Date.parse(expiresAt) - Date.parse(aki.expiresAt)).toBeGreaterThanOrEqual(
      30 * 60_000 - 1000,
    );
    const missing = await h.call(`/api/workshops/${w.id}/learners/nobody/reset`, {
      method: 'POST',
      token: h.admin,
    });
    expect(missing.status).toBe(404);
  });

  it('ends the workshop: every learner session is gone and the code stops working', async () => {
    const h = await workshopHarness({ kind });
    const w = await h.createWorkshop();
    const aki = (await (await h.join(w.code, 'Aki')).json()) as Joined;
    const end = await h.call(`/api/workshops/${w.id}/end`, { method: 'POST', token: h.admin });
    expect((await end.json()).state).toBe('ended');
    expect((await h.call(`/api/sessions/${aki.id}`, { token: aki.token })).status).toBe(404);
    const late = await h.join(w.code, 'Ben');
    expect(late.status).toBe(410);
    expect(h.reserved.at(-1)).toBe(0);
  });

  it('ends by itself when its time is up: learners hear it and their sessions go', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const h = await workshopHarness({ kind });
      const w = await h.createWorkshop({ durationMinutes: 5 });
      const aki = (await (await h.join(w.code, 'Aki')).json()) as Joined;
      const ac = new AbortController();
      const events = await learnerEvents(h, aki, ac.signal);
      expect(JSON.parse((await events.next()).value!.data)).toMatchObject({ state: 'running' });
      await vi.advanceTimersByTimeAsync(5 * 60_000 + 1000);
      const ended = await events.next();
      expect(ended.value!.event).toBe('workshop');
      expect(JSON.parse(ended.value!.data)).toMatchObject({ type: 'workshop', state: 'ended' });
      expect((await h.call(`/api/sessions/${aki.id}`, { token: aki.token })).status).toBe(404);
      ac.abort();
      h.workshops.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('exports results as CSV with names in any script', async () => {
    const h = await workshopHarness({ kind });
    const w = await h.createWorkshop();
    await h.join(w.code, '山田, 花子');
    const res = await h.call(`/api/workshops/${w.id}/results.csv`, { token: h.admin });
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    // A byte-order mark first, so spreadsheet programs read the UTF-8 names correctly.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n')[0]).toBe('name,lesson,step,status,on_current_step_minutes,session');

    expect(text).toContain('"山田, 花子",first-containers,hello,working,0,');
  });
});
