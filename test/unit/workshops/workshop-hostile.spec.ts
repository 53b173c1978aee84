import { describe, expect, it } from 'vitest';
import { JOIN_CODE_LENGTH } from '#contracts/workshop.ts';
import { RateLimiter } from '../../../sandbox-server/src/store/rate-limiter.ts';
import {
  WRONG_CODE_LIMITS,
  WrongCodeBudget,
} from '../../../sandbox-server/src/workshops/wrong-code-budget.ts';
import { workshopHarness } from './workshop-harness.ts';

type Joined = { id: string; token: string; learner: string; secret: string };
const json = async (res: Response) => (await res.json()) as Joined;

describe('workshop joins against guessing and impersonation', () => {
  it(`makes codes of ${JOIN_CODE_LENGTH} characters; an unknown code of any length is 404 unknown_code`, async () => {
    const h = await workshopHarness();
    const w = await h.createWorkshop();
    expect(w.code).toHaveLength(8);
    for (const code of ['A', 'ABCDEF', 'ABCDEFGHJK', 'abcd-efgh']) {
      const res = await h.join(code, `N${code}`);
      expect(res.status, code).toBe(404);
      expect((await res.json()).error.code).toBe('unknown_code');
    }
  });

  it('has a server-wide wrong-code budget too, so many addresses cannot guess together', async () => {
    const frozen = () => 0;
    const budget = new WrongCodeBudget({
      perAddress: new RateLimiter({ burst: 10, perMinute: 10 }, frozen),
      everyone: new RateLimiter({ burst: 20, perMinute: 60 }, frozen),
    });
    for (let i = 0; i < 20; i++) expect(await budget.spend(`10.0.0.${i}`)).toBe(0);
    expect(await budget.spend('10.0.1.1')).toBeGreaterThan(0);
    // One address past its own budget is told to wait without spending everyone's.
    const own = new WrongCodeBudget({
      perAddress: new RateLimiter(WRONG_CODE_LIMITS.perAddress, frozen),
      everyone: new RateLimiter(WRONG_CODE_LIMITS.everyone, frozen),
    });
    for (let i = 0; i < 10; i++) await own.spend('10.0.0.1');
    expect(await own.spend('10.0.0.1')).toBeGreaterThan(0);
    expect(await own.spend('10.0.0.2')).toBe(0);
  });

  it('re-joins only with the secret of the latest join: the learner id alone is refused', async () => {
    const h = await workshopHarness();
    const w = await h.createWorkshop();
    const first = await json(await h.join(w.code, 'Aki'));
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    const idOnly = await h.join(w.code, 'Aki', { learner: first.learner });
    expect(idOnly.status).toBe(403);
    expect((await idOnly.json()).error.code).toBe('rejoin_refused');
    const wrong = await h.join(w.code, 'Aki', { learner: first.learner, secret: 'guess' });
    expect(wrong.status).toBe(403);
    const again = await h.join(w.code, 'Aki', { learner: first.learner, secret: first.secret });
    expect(again.status).toBe(201);
    const second = await json(again);
    expect(second.id).toBe(first.id);
    expect(second.secret).not.toBe(first.secret);
    const stale = await h.join(w.code, 'Aki', { learner: first.learner, secret: first.secret });
    expect(stale.status).toBe(403);
  });

  it('lets a learner who joined before secrets re-join by id once, then needs the secret', async () => {
    const h = await workshopHarness();
    const w = await h.createWorkshop();
    const before = await json(await h.join(w.code, 'Old'));
    // As the migration leaves a learner who joined with an earlier version: no secret stored.
    h.db!.prepare('UPDATE workshop_learners SET rejoin_hash = NULL WHERE learner_id = ?').run(
      before.learner,
    );
    const migrated = await h.join(w.code, 'Old', { learner: before.learner });
    expect(migrated.status).toBe(201);
    const { secret, id } = await json(migrated);
    expect(id).toBe(before.id);
    expect((await h.join(w.code, 'Old', { learner: before.learner })).status).toBe(403);
    expect((await h.join(w.code, 'Old', { learner: before.learner, secret })).status).toBe(201);
  });

  it("re-joining revokes the old token's terminal tickets and closes its open writers", async () => {
    const h = await workshopHarness();
    const w = await h.createWorkshop();
    const first = await json(await h.join(w.code, 'Aki'));
    const ticket = await h.call(`/api/sessions/${first.id}/terminals`, {
      method: 'POST',
      token: first.token,
      json: { mode: 'write' },
    });
    const { ticket: unused } = (await ticket.json()) as { ticket: string };
    const hub = h.ctx.terminals;
    const closed: number[] = [];
    hub.trackWriter(first.id, { close: (code) => closed.push(code) }, () => undefined);
    await h.join(w.code, 'Aki', { learner: first.learner, secret: first.secret });
    expect(hub.tickets.redeem(unused, first.id)).toBeUndefined();
    expect(closed).toEqual([4401]);
  });
});
