import { describe, expect, it } from 'vitest';
import type {
  Sandbox,
  SandboxDriver,
  SandboxSpec,
} from '../../../sandbox-server/src/sandbox/driver.ts';
import { POOL_SESSION, WarmPool } from '../../../sandbox-server/src/sandbox/warm-pool.ts';

/** A fake driver: sandboxes are plain objects; records what was created and destroyed. */
function fakeDriver() {
  const created: SandboxSpec[] = [];
  const destroyed: string[] = [];
  /** Sandboxes killed behind the pool's back: their engine no longer answers. */
  const dead = new Set<string>();
  let n = 0;
  const driver = {
    name: 'host',
    preflight: async () => undefined,
    create: async (spec: SandboxSpec) => {
      created.push(spec);
      const id = `sb${n++}`;
      return {
        id,
        sessionId: spec.sessionId,
        driver: 'host',
        ready: async () => {
          if (dead.has(id)) throw new Error(`Sandbox ${id} is not running (exited)`);
        },
      } as unknown as Sandbox;
    },
    get: async () => undefined,
    list: async () => [],
    destroy: async (id: string) => {
      destroyed.push(id);
    },
  } satisfies SandboxDriver as SandboxDriver;
  return { driver, created, destroyed, dead };
}

describe('warm pool (logic)', () => {
  it('fills to its size with pool-labelled sandboxes', async () => {
    const { driver, created } = fakeDriver();
    const pool = new WarmPool(driver, { size: 3 });
    pool.fill();
    await pool.settled();
    expect(pool.available).toBe(3);
    expect(
      created.every(
        (s) => s.sessionId === POOL_SESSION && s.labels?.['dev.handson.pool'] === 'true',
      ),
    ).toBe(true);
  });

  it('boots no spares beyond the room capacity leaves, and tops up when room comes back', async () => {
    const { driver, created } = fakeDriver();
    let room = 1;
    const pool = new WarmPool(driver, { size: 3, room: () => room });
    pool.fill();
    await pool.settled();
    expect(pool.available).toBe(1);
    room = 0; // a learner took the last seat's worth of memory
    await pool.acquire('learner-1');
    await pool.settled();
    expect(pool.available).toBe(0);
    expect(created).toHaveLength(1);
    room = 2; // two sessions ended
    pool.fill();
    await pool.settled();
    expect(pool.available).toBe(2);
  });

  it('hands out a pooled sandbox under the new session and refills', async () => {
    const { driver, created } = fakeDriver();
    const pool = new WarmPool(driver, { size: 1 });
    pool.fill();
    await pool.settled();
    const sandbox = await pool.acquire('learner-1');
    expect(sandbox.id).toBe('sb0');
    expect(sandbox.sessionId).toBe('learner-1');
    await pool.settled();
    expect(pool.available).toBe(1);
    expect(created).toHaveLength(2);
  });

  it('destroys a pooled sandbox that died while waiting and hands out a live one instead', async () => {
    const { driver, destroyed, dead } = fakeDriver();
    const errors: string[] = [];
    const pool = new WarmPool(driver, {
      size: 2,
      onError: (err) => errors.push((err as Error).message),
    });
    pool.fill();
    await pool.settled();
    dead.add('sb0');
    const sandbox = await pool.acquire('learner-1');
    expect(sandbox.id).toBe('sb1');
    await expect(sandbox.ready()).resolves.toBeUndefined();
    expect(destroyed).toEqual(['sb0']);
    expect(errors).toEqual([expect.stringMatching(/sb0 was dead/)]);
    await pool.settled();
    expect(pool.available).toBe(2);
  });

  it('creates a fresh sandbox when every pooled one died', async () => {
    const { driver, created, dead } = fakeDriver();
    const pool = new WarmPool(driver, { size: 1, concurrency: 1 });
    pool.fill();
    await pool.settled();
    dead.add('sb0');
    const sandbox = await pool.acquire('learner-1');
    expect(sandbox.id).not.toBe('sb0');
    expect(sandbox.sessionId).toBe('learner-1');
    expect(created.map((s) => s.sessionId)).toContain('learner-1');
  });

  it('creates directly for the session when empty', async () => {
    const { driver, created } = fakeDriver();
    const pool = new WarmPool(driver, { size: 0 });
    const sandbox = await pool.acquire('learner-2');
    expect(sandbox.sessionId).toBe('learner-2');
    expect(created[0]!.sessionId).toBe('learner-2');
  });

  it('drain destroys waiting sandboxes and refuses new hand-outs', async () => {
    const { driver, destroyed } = fakeDriver();
    const pool = new WarmPool(driver, { size: 2 });
    pool.fill();
    await pool.drain();
    expect(destroyed.sort()).toEqual(['sb0', 'sb1']);
    await expect(pool.acquire('x')).rejects.toThrow(/shutting down/);
  });

  it('prepares each booted sandbox before handing it out, and hands it out even if that failed', async () => {
    const { driver } = fakeDriver();
    const prepared: string[] = [];
    const errors: unknown[] = [];
    const pool = new WarmPool(driver, {
      size: 2,
      prepare: async (sandbox) => {
        if (sandbox.id === 'sb1') throw new Error('no shell');
        prepared.push(sandbox.id);
      },
      onError: (err) => errors.push(err),
    });
    pool.fill();
    await pool.settled();
    expect(prepared).toEqual(['sb0']);
    expect(errors).toHaveLength(1);
    expect(pool.available).toBe(2);
    const handed = [await pool.acquire('s1'), await pool.acquire('s2')].map((s) => s.id);
    expect(handed.sort()).toEqual(['sb0', 'sb1']);
    await pool.drain();
  });
});
