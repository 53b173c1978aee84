import { describe, expect, it } from 'vitest';
import type {
  ForwardedRequest,
  OwnerForwarding,
} from '../../../sandbox-server/src/http/owner-forwarding.ts';
import { createApp } from '../../../sandbox-server/src/server/app.ts';
import { workshopHarness } from './workshop-harness.ts';

type Joined = { id: string; token: string; learner: string };

/**
 * The harness's app as one replica of a cluster: `owner` stands for the other replicas (what it
 * answers for a session this one does not hold).
 */
async function replica(owner: (sessionId: string, req: ForwardedRequest) => Response | undefined) {
  const h = await workshopHarness();
  const passedOn: { sessionId: string; req: ForwardedRequest }[] = [];
  const forwarding = {
    async toOwner(sessionId: string, req: ForwardedRequest) {
      passedOn.push({ sessionId, req });
      return owner(sessionId, req);
    },
    upgradeAtOwner: async () => false,
  } as unknown as OwnerForwarding;
  const app = createApp({ ctx: { ...h.ctx, forwarding }, health: [], siteDir: '/nonexistent' });
  const w = await h.createWorkshop();
  const aki = (await (await h.join(w.code, 'Aki')).json()) as Joined;
  const extend = () =>
    app.request(`/api/workshops/${w.id}/learners/${aki.learner}/extend`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ minutes: 5 }),
    });
  return { h, aki, passedOn, extend };
}

describe('an instructor action on a learner, on one replica of a cluster', () => {
  it('is served here when this replica holds the session, and the answer names the session', async () => {
    const { aki, passedOn, extend } = await replica(() => undefined);
    const res = await extend();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-handson-session')).toBe(aki.id);
    expect(passedOn).toEqual([]);
  });

  it('is passed on to the replica holding the session, body included, and its answer returned', async () => {
    const { h, aki, passedOn, extend } = await replica(
      () => new Response(JSON.stringify({ expiresAt: 'from the owner' }), { status: 200 }),
    );
    // Another replica holds Aki's session now.
    h.manager.live.delete(aki.id);
    const res = await extend();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ expiresAt: 'from the owner' });
    expect(res.headers.get('x-handson-session')).toBeNull();
    expect(passedOn).toHaveLength(1);
    expect(passedOn[0]!.sessionId).toBe(aki.id);
    expect(passedOn[0]!.req.path).toMatch(/\/learners\/[^/]+\/extend$/);
    expect(new TextDecoder().decode(passedOn[0]!.req.body)).toBe('{"minutes":5}');
  });

  it('answers session_gone when no replica holds the session', async () => {
    const { h, aki, extend } = await replica(() => undefined);
    h.manager.live.delete(aki.id);
    const res = await extend();
    expect(res.status).toBe(410);
    expect((await res.json()).error.code).toBe('session_gone');
  });
});
