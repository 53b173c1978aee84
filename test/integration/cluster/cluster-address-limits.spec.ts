import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterStatus } from '../../../sandbox-server/src/cluster/cluster.ts';
import { clusterUp, testCluster } from './test-cluster.ts';

// Per-address limits on a cluster: two replicas behind HAProxy count one budget per address,
// kept in Postgres, whichever replica answers. Session creation is limited per address before
// anything else is done, so a request for a step that does not exist spends a token (404
// unknown_step) without booting a sandbox; a refused one is 429 rate_limited.
const BURST = 4;
const testbed = testCluster({
  HANDSON_CREATE_BURST: String(BURST),
  // One token a minute: none comes back while the spec runs.
  HANDSON_CREATE_PER_MINUTE: '1',
});
let status: ClusterStatus;
let lb: string;
let replicas: string[];

beforeAll(async () => {
  status = await clusterUp(testbed, 2);
  lb = `http://127.0.0.1:${status.lb.port}`;
  replicas = status.replicas.map((r) => `http://127.0.0.1:${r.port}`);
}, 400_000);

afterAll(() => testbed.remove(), 120_000);

/**
 * `POST /api/sessions` for a step that does not exist, at `base`; `forwardedFor` as a proxy in
 * front would say (this spec's own address, 127.0.0.1, is the trusted proxy's).
 */
async function create(base: string, forwardedFor?: string): Promise<number> {
  const res = await fetch(`${base}/api/sessions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: JSON.stringify({ lesson: '01-the-engine', step: 'no-such-step', lang: 'en' }),
  });
  const body = (await res.json()) as { error?: { code: string } };
  if (res.status === 429) expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  expect([404, 429], JSON.stringify(body)).toContain(res.status);
  return res.status;
}

async function creates(n: number, base: () => string, forwardedFor?: string) {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push(await create(base(), forwardedFor));
  return statuses;
}

describe('per-address limits on two replicas', () => {
  it('gives one address one budget through the load balancer, refused on every replica after it', async () => {
    const spent = await creates(BURST + 2, () => lb);
    expect(spent).toEqual([...Array(BURST).fill(404), 429, 429]);
    // Asked directly, from the same address, each replica refuses too.
    for (const replica of replicas) expect(await create(replica)).toBe(429);
  });

  it('gives an address the trusted proxy names its own budget', async () => {
    const spent = await creates(BURST + 1, () => lb, '203.0.113.9');
    expect(spent).toEqual([...Array(BURST).fill(404), 429]);
  });

  it('counts a budget spent half on each replica once', async () => {
    let i = 0;
    const alternate = () => replicas[i++ % replicas.length]!;
    const spent = await creates(BURST, alternate, '198.51.100.7');
    expect(spent).toEqual(Array(BURST).fill(404));
    for (const replica of replicas) expect(await create(replica, '198.51.100.7')).toBe(429);
  });

  it('counts wrong join codes once per address too', async () => {
    const join = async (forwardedFor: string) =>
      (
        await fetch(`${lb}/api/workshops/join`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
          body: JSON.stringify({ code: 'NOSUCHCD', name: 'Guesser' }),
        })
      ).status;
    const answers: number[] = [];
    for (let k = 0; k < 11; k++) answers.push(await join('192.0.2.44'));
    // Ten wrong codes per address (WRONG_CODE_LIMITS), however HAProxy spread them.
    expect(answers).toEqual([...Array(10).fill(404), 429]);
    expect(await join('192.0.2.45')).toBe(404);
  });
});
