import { describe, expect, it } from 'vitest';
import type { SessionRow } from '../../../sandbox-server/src/store/session-repository.ts';
import type { WorkshopRow } from '../../../sandbox-server/src/store/workshop-repository.ts';
import { freshStore, STORE_KINDS } from './store-kinds.ts';

const row = (over: Partial<SessionRow> = {}): SessionRow => ({
  id: 's1',
  tokenHash: 'ab'.repeat(32),
  learnerId: null,
  lang: 'en',
  lesson: null,
  step: null,
  state: 'starting',
  message: null,
  sandboxId: null,
  driver: 'dind',
  createdAt: 1,
  expiresAt: 2,
  lastActivityAt: 1,
  workshopId: null,
  ...over,
});

const workshop = (over: Partial<WorkshopRow> = {}): WorkshopRow => ({
  id: 'w1',
  code: 'K7QX2M',
  title: 'Containers',
  lessons: ['first-containers', 'images'],
  maxLearners: 30,
  lang: 'ja',
  createdAt: 1_700_000_000_000,
  endsAt: 1_700_005_400_000,
  endedAt: null,
  ...over,
});

describe.each(STORE_KINDS)('the %s store', (kind) => {
  it('stores sessions and reads them back, with patches and state filters', async () => {
    const { sessions } = await freshStore(kind);
    await sessions.insert(row());
    await sessions.insert(row({ id: 's2', state: 'expired', lastActivityAt: 5 }));
    await sessions.update('s1', { state: 'ready', sandboxId: 'sbx', lesson: 'l', step: 'a' });
    expect(await sessions.get('s1')).toEqual(
      row({ state: 'ready', sandboxId: 'sbx', lesson: 'l', step: 'a' }),
    );
    expect((await sessions.list(['ready'])).map((r) => r.id)).toEqual(['s1']);
    expect(await sessions.purgeExpired(10)).toBe(1);
    await sessions.delete('s1');
    expect(await sessions.list()).toEqual([]);
    expect(await sessions.get('s1')).toBeUndefined();
  });

  it('keeps epoch milliseconds exact (numbers, not strings)', async () => {
    const { sessions } = await freshStore(kind);
    const at = 1_764_700_000_123;
    await sessions.insert(row({ createdAt: at, expiresAt: at + 3_600_000, lastActivityAt: at }));
    expect(await sessions.get('s1')).toMatchObject({ createdAt: at, expiresAt: at + 3_600_000 });
  });

  it('refuses a state outside the state machine', async () => {
    const { sessions } = await freshStore(kind);
    await expect(sessions.insert(row({ state: 'running' as never }))).rejects.toThrow(
      /check constraint/i,
    );
  });

  it('records progress once per learner and step, keeping the first pass', async () => {
    const { progress } = await freshStore(kind);
    await progress.recordPass('me', 'l1', 'a', 10);
    await progress.recordPass('me', 'l1', 'a', 20);
    await progress.recordPass('me', 'l1', 'b', 30);
    expect(await progress.forLearner('me')).toEqual([
      { learnerId: 'me', lesson: 'l1', step: 'a', passedAt: 10 },
      { learnerId: 'me', lesson: 'l1', step: 'b', passedAt: 30 },
    ]);
    expect(await progress.forLearner('other')).toEqual([]);
  });

  it('keeps Check attempts in order and finds the latest pass of earlier steps', async () => {
    const { attempts } = await freshStore(kind);
    const at = (learnerId: string, step: string, passed: boolean, t: number) =>
      attempts.record({
        learnerId,
        lesson: 'l',
        step,
        passed,
        message: passed ? null : 'no',
        at: t,
      });
    await at('a', 'one', false, 100);
    await at('a', 'one', true, 200);
    await at('a', 'two', true, 300);
    await at('b', 'one', true, 150);
    expect((await attempts.forLearners(['a'])).map((x) => [x.step, x.passed, x.at])).toEqual([
      ['one', false, 100],
      ['one', true, 200],
      ['two', true, 300],
    ]);
    expect((await attempts.forLearners(['a', 'b'])).map((x) => x.at)).toEqual([100, 150, 200, 300]);
    expect(await attempts.forLearners([])).toEqual([]);
    expect(await attempts.latestPass('a', 'l', ['one'])).toBe(200);
    expect(await attempts.latestPass('a', 'l', ['one', 'two'])).toBe(300);
    expect(await attempts.latestPass('a', 'other', ['one'])).toBeUndefined();
    expect(await attempts.latestPass('a', 'l', [])).toBeUndefined();
  });

  it('keeps workshops, their learners and messages', async () => {
    const { workshops } = await freshStore(kind);
    await workshops.insert(workshop());
    await workshops.insert(workshop({ id: 'w2', code: 'ZZZZZZ', createdAt: 1_700_000_000_001 }));
    expect(await workshops.get('w1')).toEqual(workshop());
    expect(await workshops.byCode('K7QX2M')).toEqual(workshop());
    expect(await workshops.byCode('nope')).toBeUndefined();
    expect((await workshops.list()).map((w) => w.id)).toEqual(['w2', 'w1']);
    await workshops.update('w1', { endedAt: 1_700_000_100_000 });
    await workshops.update('w1', { endsAt: 1_700_009_000_000 });
    expect(await workshops.get('w1')).toMatchObject({
      endedAt: 1_700_000_100_000,
      endsAt: 1_700_009_000_000,
    });

    const learner = { workshopId: 'w1', sessionId: 's1', joinedAt: 5, rejoinHash: null };
    await workshops.addLearner({ ...learner, learnerId: 'l1', name: 'Aki' });
    await workshops.addLearner({ ...learner, learnerId: 'l2', name: 'Ben', joinedAt: 6 });
    await expect(
      workshops.addLearner({ ...learner, learnerId: 'l3', name: 'Aki' }),
    ).rejects.toThrow(/unique/i);
    await workshops.setRejoinHash('l1', 'hash');
    await workshops.setLearnerSession('l1', 's9');
    expect(await workshops.learner('l1')).toEqual({
      ...learner,
      learnerId: 'l1',
      name: 'Aki',
      sessionId: 's9',
      rejoinHash: 'hash',
    });
    expect((await workshops.learnerByName('w1', 'Ben'))?.learnerId).toBe('l2');
    expect((await workshops.learners('w1')).map((l) => l.name)).toEqual(['Aki', 'Ben']);
    expect(await workshops.learners('w2')).toEqual([]);

    const first = await workshops.addMessage('w1', 'break until 11:00', 10);
    const second = await workshops.addMessage('w1', 'back!', 20);
    expect(second.id).toBeGreaterThan(first.id);
    expect(await workshops.messages('w1')).toEqual([first, second]);
  });

  it('ends a workshop once, however many callers race to end it', async () => {
    const { workshops } = await freshStore(kind);
    await workshops.insert(workshop());
    const wins = await Promise.all(
      [1, 2, 3].map((i) => workshops.endOnce('w1', 1_700_000_000_000 + i)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    const endedAt = (await workshops.get('w1'))?.endedAt;
    expect(endedAt).toBe(1_700_000_000_000 + wins.indexOf(true) + 1);
    expect(await workshops.endOnce('w1', 1_800_000_000_000)).toBe(false);
    expect((await workshops.get('w1'))?.endedAt).toBe(endedAt);
    expect(await workshops.endOnce('nope', 1)).toBe(false);
  });

  it('gives the database one server id, the same on every ask', async () => {
    const store = await freshStore(kind);
    const id = await store.serverInstanceId();
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(await store.serverInstanceId()).toBe(id);
  });
});
