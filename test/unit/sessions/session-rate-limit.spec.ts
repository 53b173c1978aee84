import { describe, expect, it } from 'vitest';
import { SESSION_ACTION_LIMITS } from '../../../sandbox-server/src/sessions/session-rate-limit.ts';
import { appHarness } from '../server/app-harness.ts';

describe('per-session rate limits', () => {
  for (const action of ['check', 'reset', 'goto', 'extend'] as const) {
    it(`answers ${action} 429 rate_limited with Retry-After past its burst, per session`, async () => {
      const { call, session } = appHarness();
      const greedy = await session();
      const classmate = await session();
      const ask = (s: { id: string; token: string }) =>
        call(`/api/sessions/${s.id}/${action}`, {
          method: 'POST',
          token: s.token,
          body: JSON.stringify({ lesson: 'no-such-lesson', step: 'no-such-step' }),
        });
      for (let i = 0; i < SESSION_ACTION_LIMITS[action].burst; i++) {
        expect((await ask(greedy)).status).not.toBe(429);
      }
      const refused = await ask(greedy);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({
        error: { code: 'rate_limited', message: expect.stringContaining(action) },
      });
      expect((await ask(classmate)).status).not.toBe(429);
    });
  }

  it('does not let someone without the token use up a session budget', async () => {
    const { call, session } = appHarness();
    const s = await session();
    for (let i = 0; i < 20; i++) {
      const res = await call(`/api/sessions/${s.id}/extend`, { method: 'POST', token: 'wrong' });
      expect(res.status).toBe(401);
    }
    const own = await call(`/api/sessions/${s.id}/extend`, { method: 'POST', token: s.token });
    expect(own.status).toBe(200);
  });
});
