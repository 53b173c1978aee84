import { randomBytes } from 'node:crypto';
import type { Store } from '../store.ts';
import { PostgresAttemptRepository } from './postgres-attempt-repository.ts';
import { PostgresLimiter } from './postgres-limiter.ts';
import { migratePostgres } from './postgres-migrate.ts';
import { openPool } from './postgres-pool.ts';
import { PostgresProgressRepository } from './postgres-progress-repository.ts';
import { PostgresSessionRepository } from './postgres-session-repository.ts';
import { PostgresWorkshopRepository } from './postgres-workshop-repository.ts';

/**
 * A PostgreSQL database (`HANDSON_DATABASE=postgres://…`), connected and migrated.
 *
 * @example
 * const store = await openPostgresStore('postgres://handson:pw@127.0.0.1:5433/handson');
 */
export async function openPostgresStore(
  url: string,
  log: (message: string) => void = (m) => process.stderr.write(`handson: ${m}\n`),
): Promise<Store> {
  const pool = await openPool(url, log);
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return {
    kind: 'postgres',
    sessions: new PostgresSessionRepository(pool),
    attempts: new PostgresAttemptRepository(pool),
    progress: new PostgresProgressRepository(pool),
    workshops: new PostgresWorkshopRepository(pool),
    async serverInstanceId() {
      // ON CONFLICT DO NOTHING: two servers asking at once still agree on one id.
      await pool.query(
        "INSERT INTO meta (key, value) VALUES ('server_id', $1) ON CONFLICT (key) DO NOTHING",
        [randomBytes(8).toString('hex')],
      );
      const { rows } = await pool.query<{ value: string }>(
        "SELECT value FROM meta WHERE key = 'server_id'",
      );
      return rows[0]!.value;
    },
    limiter: (name, limit, whenStoreFails, now) =>
      new PostgresLimiter(pool, name, limit, whenStoreFails, { log, ...(now ? { now } : {}) }),
    async close() {
      await pool.end();
    },
  };
}
