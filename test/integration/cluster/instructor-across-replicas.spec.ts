import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverSentEvents } from '#contracts/server-sent-events.ts';
import type { ClusterStatus } from '../../../sandbox-server/src/cluster/cluster.ts';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { adminToken } from '../../../sandbox-server/src/workshops/admin-token.ts';
import { WsTerminal } from '../terminal/support/ws-terminal.ts';
import { clusterUp, testCluster } from './test-cluster.ts';

// An instructor's workshop on a two-replica cluster: every action on a learner, sent through
// the load balancer (round robin for the instructor's routes), is served whichever replica it
// reaches, before and after the learner's replica is killed; and a workshop whose creating
// replica was killed still ends on time on the other one.
const admin = adminToken(loadConfig());
const READY = { timeout: 120_000, interval: 500 };

type Joined = { id: string; token: string; learner: string };
type Replica = ClusterStatus['replicas'][number];

const tc = testCluster();
/** The running cluster: its status, the load balancer's URL, one query on its database. */
const c = {
  status: undefined as unknown as ClusterStatus,
  lb: '',
  async sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    const client = new pg.Client({ connectionString: this.status.postgres.url });
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  },
};
const learners: { base: string; joined: Joined }[] = [];

beforeAll(async () => {
  c.status = await clusterUp(tc, 2);
  c.lb = `http://127.0.0.1:${c.status.lb.port}`;
}, 400_000);

afterAll(async () => {
  const alive = (c.status?.replicas ?? []).map((r) => `http://127.0.0.1:${r.port}`);
  for (const { joined } of learners) {
    for (const base of [c.lb, ...alive]) {
      const res = await fetch(`${base}/api/sessions/${joined.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${joined.token}` },
      }).catch(() => undefined);
      if (res?.ok) break;
    }
  }
  await tc.remove();
}, 120_000);

const direct = (r: Replica) => `http://127.0.0.1:${r.port}`;

async function call(base: string, route: string, body?: unknown, token = admin) {
  const res = await fetch(`${base}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

async function createWorkshop(base: string, durationMinutes: number) {
  const res = await call(base, '/api/workshops', {
    lessons: ['01-the-engine'],
    durationMinutes,
    maxLearners: 1,
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; code: string };
}

async function join(base: string, code: string, name: string): Promise<Joined> {
  const res = await call(base, '/api/workshops/join', { code, name });
  expect(res.status).toBe(201);
  const joined = res.body as Joined;
  learners.push({ base, joined });
  return joined;
}

async function ownerOf(sessionId: string): Promise<string | undefined> {
  const rows = await c.sql<{ replica: string }>(
    'SELECT replica FROM session_owners WHERE session_id = $1',
    [sessionId],
  );
  return rows[0]?.replica;
}

/** The instructor watches the learner's terminal through the load balancer: some screen arrives. */
async function watch(workshopId: string, learner: Joined): Promise<void> {
  const res = await call(
    c.lb,
    `/api/workshops/${workshopId}/learners/${learner.learner}/terminal`,
    {},
  );
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ session: learner.id, mode: 'read' });
  const term = await WsTerminal.connect(new URL(c.lb).host, learner.id, res.body.ticket as string, {
    origin: c.lb,
  });
  await expect.poll(() => term.received, { timeout: 30_000 }).toBeGreaterThan(0);
  await term.close();
}

let workshop: { id: string; code: string };
let aki: Joined;
let victim: Replica;
let survivor: Replica;
/** A short workshop created on the replica that is killed; its learner is on the survivor. */
let short: { id: string; code: string };
let cho: Joined;
let choEvents: AsyncGenerator<{ event: string; data: string }>;

describe('an instructor on a cluster', () => {
  it('acts on a learner through the load balancer whichever replica the request reaches', async () => {
    workshop = await createWorkshop(c.lb, 60);
    aki = await join(c.lb, workshop.code, 'Aki');
    await expect
      .poll(
        async () =>
          (await call(c.lb, `/api/sessions/${aki.id}?wait=10`, undefined, aki.token)).body.state,
        READY,
      )
      .toBe('ready');
    const home = await ownerOf(aki.id);
    victim = c.status.replicas.find((r) => r.id === home)!;
    survivor = c.status.replicas.find((r) => r.id !== home)!;
    expect(victim).toBeDefined();

    // Its end is brought forward by the last test, once its creator is dead.
    short = await createWorkshop(direct(victim), 5);
    cho = await join(direct(survivor), short.code, 'Cho');
    const stream = await fetch(`${direct(survivor)}/api/sessions/${cho.id}/events`, {
      headers: { authorization: `Bearer ${cho.token}` },
    });
    expect(stream.status).toBe(200);
    choEvents = serverSentEvents(stream.body!);
    const first = await choEvents.next();
    expect(JSON.parse(first.value!.data)).toMatchObject({ type: 'workshop', state: 'running' });

    // Round robin alternates the replicas: consecutive calls reach both, the owner and the other.
    const learnerRoute = `/api/workshops/${workshop.id}/learners/${aki.learner}`;
    for (let i = 0; i < 4; i++) {
      const res = await call(c.lb, `${learnerRoute}/extend`, { minutes: 1 });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    for (let i = 0; i < 2; i++) {
      const res = await call(c.lb, `${learnerRoute}/goto`, {
        lesson: '01-the-engine',
        step: 'version',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ id: aki.id });
    }
    for (let i = 0; i < 2; i++) await watch(workshop.id, aki);
    // Sent straight to the replica that does not hold the session: passed on to the owner.
    const other = await call(direct(survivor), `${learnerRoute}/extend`, { minutes: 1 });
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    // A ticket's WebSocket that reaches the other replica is joined to the owner, which issued it.
    const ticket = await call(direct(victim), `${learnerRoute}/terminal`, {});
    const term = await WsTerminal.connect(
      new URL(direct(survivor)).host,
      aki.id,
      ticket.body.ticket as string,
      { origin: c.lb },
    );
    await expect.poll(() => term.received, { timeout: 30_000 }).toBeGreaterThan(0);
    await term.close();
    // The session stayed where it was: the other replica passed the actions on to its owner.
    expect(await ownerOf(aki.id)).toBe(victim.id);
  }, 400_000);

  it('acts on a learner whose replica was killed: the survivor takes the session over', async () => {
    process.kill(victim.pid!, 'SIGKILL');
    const learnerRoute = `/api/workshops/${workshop.id}/learners/${aki.learner}`;
    // The request in flight when the replica died may fail once; then every one succeeds.
    await expect
      .poll(async () => (await call(c.lb, `${learnerRoute}/extend`, { minutes: 1 })).status, {
        timeout: 30_000,
      })
      .toBe(200);
    for (let i = 0; i < 3; i++) {
      const res = await call(c.lb, `${learnerRoute}/extend`, { minutes: 1 });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    expect(await ownerOf(aki.id)).toBe(survivor.id);
    await watch(workshop.id, aki);
    const goto = await call(c.lb, `${learnerRoute}/goto`, {
      lesson: '01-the-engine',
      step: 'version',
    });
    expect(goto.status, JSON.stringify(goto.body)).toBe(200);
    const reset = await call(c.lb, `${learnerRoute}/reset`, {});
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body).toMatchObject({ id: aki.id });
  }, 300_000);

  it('ends a workshop on time though the replica that created it was killed', async () => {
    // Its end is 5 minutes out (the API's shortest). Bring it forward in the store and tell the
    // replicas as a creator does (`created`): the survivor re-arms from the row, as it armed at
    // the real creation, and this spec does not wait minutes for the clock.
    await c.sql('UPDATE workshops SET ends_at = $1 WHERE id = $2', [Date.now() + 3000, short.id]);
    await c.sql('SELECT pg_notify($1, $2)', [
      'handson_workshops',
      JSON.stringify({ from: 'spec', message: { type: 'created', workshopId: short.id } }),
    ]);
    // Cho's stream is held by the survivor; the workshop's end reaches it from the survivor's timer.
    let ended: Record<string, unknown> | undefined;
    for (;;) {
      const next = await choEvents.next();
      expect(next.done).toBe(false);
      const data = JSON.parse(next.value!.data) as Record<string, unknown>;
      if (next.value!.event === 'workshop' && data.state === 'ended') {
        ended = data;
        break;
      }
    }
    expect(ended).toMatchObject({ type: 'workshop', state: 'ended' });
    const rows = await c.sql<{ ended_at: string | null; ends_at: string }>(
      'SELECT ended_at, ends_at FROM workshops WHERE id = $1',
      [short.id],
    );
    expect(rows[0]?.ended_at).not.toBeNull();
    expect(Number(rows[0]!.ended_at)).toBeGreaterThanOrEqual(Number(rows[0]!.ends_at));
    // The learner's session ended with it.
    await expect
      .poll(
        async () => (await call(c.lb, `/api/sessions/${cho.id}`, undefined, cho.token)).status,
        {
          timeout: 30_000,
        },
      )
      .not.toBe(200);
  }, 420_000);
});
