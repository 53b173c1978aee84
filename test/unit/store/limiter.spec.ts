import pg from 'pg';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { PostgresLimiter } from '../../../sandbox-server/src/store/postgres/postgres-limiter.ts';
import { clientConfig } from '../../../sandbox-server/src/store/postgres/postgres-pool.ts';
import { openStore, type Store } from '../../../sandbox-server/src/store/store.ts';
import { freshDatabase, freshStore, STORE_KINDS } from './store-kinds.ts';

const LIMIT = { burst: 3, perMinute: 6 }; // a token every 10 s

/** A clock the test moves by hand. */
function clock() {
  let now = 1_764_700_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function takeMany(store: Store, name: string, key: string, n: number, now: () => number) {
  const limiter = store.limiter(name, LIMIT, 'refuse', now);
  const verdicts = [];
  for (let i = 0; i < n; i++) verdicts.push(await limiter.take(key));
  return verdicts;
}

describe.each(STORE_KINDS)('a %s store’s limiter', (kind) => {
  it('allows a burst, then refuses with the wait until the next token', async () => {
    const store = await freshStore(kind);
    const t = clock();
    const verdicts = await takeMany(store, 'create', '203.0.113.9', 4, t.now);
    expect(verdicts.slice(0, 3).every((v) => v.allowed)).toBe(true);
    expect(verdicts[3]).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('refills at the sustained rate', async () => {
    const store = await freshStore(kind);
    const t = clock();
    const limiter = store.limiter('create', LIMIT, 'refuse', t.now);
    for (let i = 0; i < 3; i++) await limiter.take('a');
    t.advance(9_000);
    expect((await limiter.take('a')).allowed).toBe(false);
    t.advance(1_000);
    expect((await limiter.take('a')).allowed).toBe(true);
    expect((await limiter.take('a')).allowed).toBe(false);
  });

  it('keeps keys and limits apart', async () => {
    const store = await freshStore(kind);
    const t = clock();
    await takeMany(store, 'create', 'a', 3, t.now);
    const create = store.limiter('create', LIMIT, 'refuse', t.now);
    expect((await create.take('a')).allowed).toBe(false);
    expect((await create.take('b')).allowed).toBe(true);
    expect((await store.limiter('wrong-code', LIMIT, 'refuse', t.now).take('a')).allowed).toBe(
      true,
    );
  });
});

describe('the Postgres limiter across replicas', () => {
  async function twoReplicas() {
    const url = await freshDatabase('postgres');
    const stores = [await openStore(url), await openStore(url)];
    onTestFinished(async () => {
      await Promise.all(stores.map((s) => s.close()));
    });
    const raw = new pg.Client(clientConfig(url));
    await raw.connect();
    onTestFinished(() => raw.end());
    return { url, stores, raw };
  }

  it('gives one address one budget, however its requests are spread and raced', async () => {
    const { stores } = await twoReplicas();
    const t = clock();
    const limiters = stores.map((s) => s.limiter('create', LIMIT, 'refuse', t.now));
    const verdicts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => limiters[i % 2]!.take('203.0.113.9')),
    );
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
    // Another address has its own budget on either replica.
    expect((await limiters[1]!.take('198.51.100.4')).allowed).toBe(true);
  });

  it('deletes buckets that are full again, so many addresses leave no rows behind', async () => {
    const { stores, raw } = await twoReplicas();
    const t = clock();
    const limiter = stores[0]!.limiter('create', LIMIT, 'refuse', t.now);
    for (let i = 0; i < 50; i++) await limiter.take(`10.0.${i}.1`);
    const rows = async () =>
      Number((await raw.query('SELECT count(*) AS n FROM rate_buckets')).rows[0].n);
    expect(await rows()).toBe(50);
    t.advance(30_000); // three tokens' worth: every bucket is full again
    await limiter.take('192.0.2.1');
    await vi.waitFor(async () => expect(await rows()).toBe(1), { timeout: 10_000 });
  });

  it('keeps at most its most recently spent buckets when a flood comes from many addresses', async () => {
    const { url, raw } = await twoReplicas();
    const t = clock();
    const pool = new pg.Pool(clientConfig(url));
    onTestFinished(() => pool.end());
    // A token a minute: no bucket is full again when the prune comes.
    const limiter = new PostgresLimiter(pool, 'create', { burst: 3, perMinute: 1 }, 'refuse', {
      now: t.now,
      maxBuckets: 10,
    });
    for (let i = 0; i < 30; i++) {
      await limiter.take(`10.1.${i}.1`);
      t.advance(100); // later addresses' buckets are full later
    }
    t.advance(10_000); // the next take prunes; every bucket is still spent
    await limiter.take('192.0.2.1');
    const keys = async () =>
      (await raw.query('SELECT key FROM rate_buckets ORDER BY full_at')).rows.map(
        (r: { key: string }) => r.key,
      );
    await vi.waitFor(async () => expect(await keys()).toHaveLength(10), { timeout: 10_000 });
    expect(await keys()).toEqual([
      ...Array.from({ length: 9 }, (_, i) => `10.1.${21 + i}.1`),
      '192.0.2.1',
    ]);
  });

  it('refuses while the store fails when its limit says so, else counts in this process', async () => {
    const t = clock();
    const logs: string[] = [];
    const store = await openStore(await freshDatabase('postgres'), (m) => logs.push(m));
    const refusing = store.limiter('wrong-code', LIMIT, 'refuse', t.now);
    const local = store.limiter('create', LIMIT, 'this-process', t.now);
    await store.close(); // every query fails from now on
    expect((await refusing.take('a')).allowed).toBe(false);
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push((await local.take('a')).allowed);
    expect(verdicts).toEqual([true, true, true, false]);
    // One line per limit when it starts failing, not one per request.
    expect(logs.filter((m) => m.includes('the shared limit failed'))).toHaveLength(2);
  });

  it('answers by its policy when the bucket’s row is held by a stuck transaction', async () => {
    const { url, stores, raw } = await twoReplicas();
    const t = clock();
    await stores[0]!.limiter('create', LIMIT, 'refuse', t.now).take('a');
    await raw.query('BEGIN');
    await raw.query("SELECT * FROM rate_buckets WHERE key = 'a' FOR UPDATE");
    const pool = new pg.Pool(clientConfig(url));
    onTestFinished(() => pool.end());
    const quiet = () => undefined;
    const opts = { now: t.now, log: quiet, deadlineMs: 300 };
    const refusing = new PostgresLimiter(pool, 'create', LIMIT, 'refuse', opts);
    const local = new PostgresLimiter(pool, 'create', LIMIT, 'this-process', opts);
    expect((await refusing.take('a')).allowed).toBe(false);
    expect((await local.take('a')).allowed).toBe(true);
    await raw.query('ROLLBACK');
  });
});
