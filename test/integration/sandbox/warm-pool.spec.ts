import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../../sandbox-server/src/config.ts';
import type { DindDriver } from '../../../sandbox-server/src/sandbox/dind/dind-driver.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import { POOL_SESSION, WarmPool } from '../../../sandbox-server/src/sandbox/warm-pool.ts';
import { dindDriver } from './support.ts';

// Other pools (a server under test, a developer's `handson serve`) share the engine: this
// spec's pool marks its sandboxes so it only ever looks at its own.
const OWNER_LABEL = 'dev.handson.test-pool';
const owner = `warm-pool-spec-${process.pid}`;
const ours = (r: { labels: Record<string, string> }) => r.labels[OWNER_LABEL] === owner;

describe('warm pool', () => {
  let driver: DindDriver;
  let pool: WarmPool;
  const handedOut: Sandbox[] = [];

  beforeAll(async () => {
    driver = await dindDriver();
    pool = new WarmPool(driver, { size: 1, spec: { labels: { [OWNER_LABEL]: owner } } });
    pool.fill();
    await pool.settled();
  });
  afterAll(async () => {
    await pool.drain();
    await Promise.all(handedOut.map((s) => driver.destroy(s.id)));
  });

  it('keeps booted sandboxes labelled as pool sandboxes', async () => {
    expect(pool.available).toBe(1);
    const pooled = (await driver.list()).filter((r) => ours(r) && r.labels[LABELS.pool] === 'true');
    expect(pooled.map((r) => r.sessionId)).toContain(POOL_SESSION);
  });

  it('hands a ready sandbox out at once and refills in the background', async () => {
    const started = performance.now();
    const sandbox = await pool.acquire('spec-pool-1');
    const ms = performance.now() - started;
    handedOut.push(sandbox);
    expect(ms).toBeLessThan(100);
    expect(sandbox.sessionId).toBe('spec-pool-1');
    expect((await sandbox.exec(['docker', 'info', '--format', '{{.Name}}'])).stdout.trim()).toBe(
      'handson',
    );
    await pool.settled();
    expect(pool.available).toBe(1);
  });

  it('creates one on demand when the pool is empty', async () => {
    const first = await pool.acquire('spec-pool-2');
    handedOut.push(first);
    const second = await pool.acquire('spec-pool-3');
    handedOut.push(second);
    expect(second.sessionId).toBe('spec-pool-3');
    expect(new Set([first.id, second.id]).size).toBe(2);
    await expect(second.ready()).resolves.toBeUndefined();
  });

  it('drain destroys the sandboxes still waiting and refuses new hand-outs', async () => {
    await pool.settled();
    const waiting = (await driver.list()).filter(
      (r) => ours(r) && r.labels[LABELS.pool] === 'true' && r.sessionId === POOL_SESSION,
    );
    const handedIds = new Set(handedOut.map((s) => s.id));
    const idle = waiting.filter((r) => !handedIds.has(r.id));
    expect(idle.length).toBeGreaterThan(0);
    await pool.drain();
    const after = new Set((await driver.list()).map((r) => r.id));
    for (const r of idle) expect(after.has(r.id)).toBe(false);
    await expect(pool.acquire('late')).rejects.toThrow(/shutting down/);
  });
});
