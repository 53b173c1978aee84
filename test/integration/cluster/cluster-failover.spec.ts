import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LiveSession,
  openLiveSession,
  requestTicket,
} from '../../../sandbox-server/src/bench/hostile/live-terminal.ts';
import type { ClusterStatus } from '../../../sandbox-server/src/cluster/cluster.ts';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { isAlive } from '../../../sandbox-server/src/system/managed-process.ts';
import { WsTerminal } from '../terminal/support/ws-terminal.ts';
import { clusterUp, testCluster } from './test-cluster.ts';

// `handson cluster` as an operator runs it: Postgres, two replicas and HAProxy on this machine
// (its own directory, so an operator's cluster is left alone), learners through the load
// balancer, one replica killed mid-class.
const testbed = testCluster();
const { cluster } = testbed;

const LESSON = { lesson: '01-the-engine', step: 'version' };
let status: ClusterStatus;
let lb: string;
const learners: LiveSession[] = [];

beforeAll(async () => {
  status = await clusterUp(testbed, 2);
  lb = `http://127.0.0.1:${status.lb.port}`;
}, 400_000);

/** Delete the sessions this spec made (their sandboxes with them), through the load balancer. */
async function deleteLearners(): Promise<void> {
  for (const s of learners.splice(0)) {
    await fetch(`${lb}/api/sessions/${s.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${s.token}` },
    }).catch(() => undefined);
  }
}

afterAll(async () => {
  if (lb) await deleteLearners();
  await testbed.remove();
}, 120_000);

async function owners(ids: string[]): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: status.postgres.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ session_id: string; replica: string }>(
      'SELECT session_id, replica FROM session_owners WHERE session_id = ANY($1)',
      [ids],
    );
    return new Map(rows.map((r) => [r.session_id, r.replica]));
  } finally {
    await client.end();
  }
}

/** Where the host mounts the disk of the session's sandbox. */
async function diskOf(s: LiveSession): Promise<string> {
  const client = new pg.Client({ connectionString: status.postgres.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ sandbox_id: string }>(
      'SELECT sandbox_id FROM sessions WHERE id = $1',
      [s.id],
    );
    return path.join(loadConfig().runDir, 'disks', rows[0]!.sandbox_id);
  } finally {
    await client.end();
  }
}

async function check(s: LiveSession): Promise<{ status: number; passed?: boolean }> {
  const res = await fetch(`${lb}/api/sessions/${s.id}/check`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...LESSON, lang: 'en' }),
  });
  const body = (await res.json().catch(() => ({}))) as { passed?: boolean };
  return { status: res.status, passed: body.passed };
}

async function terminal(s: LiveSession): Promise<WsTerminal> {
  const host = new URL(lb).host;
  return WsTerminal.connect(host, s.id, await requestTicket(s, 'write'), { origin: lb });
}

describe('handson cluster', () => {
  it('starts two healthy replicas behind the load balancer, each its own process', () => {
    expect(status.replicas).toHaveLength(2);
    for (const r of status.replicas) {
      expect(r.healthy).toBe(true);
      expect(r.pid).not.toBeNull();
      expect(isAlive(r.pid!)).toBe(true);
    }
    expect(status.postgres.url).toMatch(/^postgres(ql)?:\/\//);
  });

  it('moves the learners of a killed replica to the survivor: checks pass, terminals come back with their screen', async () => {
    for (let i = 0; i < 4; i++) learners.push(await openLiveSession(lb));
    for (const [i, s] of learners.entries()) {
      const term = await terminal(s);
      term.type(`docker version | tee version.txt >/dev/null; echo screen-mark-$((40+${i}))\r`);
      await term.waitForText(new RegExp(`^screen-mark-${40 + i}$`, 'm'), 60_000);
      // The screen is saved onto the sandbox's disk every 10 s: wait until it holds the mark, as
      // a learner's screen holds what they did before a crash.
      const saved = path.join(await diskOf(s), 'root/.handson/screens/main');
      await expect
        .poll(() => fs.readFileSync(saved, 'utf8'), { timeout: 30_000 })
        .toContain(`screen-mark-${40 + i}`);
      await term.close();
      expect((await check(s)).passed).toBe(true);
    }
    const before = await owners(learners.map((s) => s.id));
    // New sessions are spread over both replicas.
    expect(new Set(before.values()).size).toBe(2);

    const victim = status.replicas.find((r) => r.id === before.get(learners[0]!.id))!;
    const survivor = status.replicas.find((r) => r.id !== victim.id)!;
    process.kill(victim.pid!, 'SIGKILL');

    for (const [i, s] of learners.entries()) {
      // One failed request is allowed (the connection the dead replica held); then it passes.
      await expect.poll(async () => (await check(s)).passed, { timeout: 30_000 }).toBe(true);
      const term = await terminal(s);
      await term.waitForText(new RegExp(`^screen-mark-${40 + i}$`, 'm'), 30_000);
      await term.close();
    }
    const after = await owners(learners.map((s) => s.id));
    for (const s of learners) expect(after.get(s.id)).toBe(survivor.id);
  }, 600_000);

  it('cluster down leaves nothing running', async () => {
    await deleteLearners();
    const pids = [status.lb.pid, ...status.replicas.map((r) => r.pid)].filter(
      (pid): pid is number => pid !== null,
    );
    await cluster('down');
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    await expect(fetch(`${lb}/healthz`)).rejects.toThrow();
    const client = new pg.Client({ connectionString: status.postgres.url });
    await expect(client.connect()).rejects.toThrow();
  }, 120_000);
});
