import type pg from 'pg';
import { MIGRATIONS, type Migration } from '../migrations.ts';

/** The advisory lock key migrations hold, so two servers starting together migrate once. */
export const MIGRATION_LOCK_KEY = 0x68616e64736f6e01n;

/**
 * Apply every migration newer than the database (its Postgres text), each in its own
 * transaction, under an advisory lock: a second process starting at the same moment waits,
 * then finds nothing left to do.
 *
 * @example
 * await migratePostgres(client); // the database now has the latest schema
 */
export async function migratePostgres(
  client: pg.ClientBase,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at BIGINT NOT NULL
    )`);
    const { rows } = await client.query<{ v: number | null }>(
      'SELECT MAX(version) AS v FROM migrations',
    );
    const current = rows[0]?.v ?? 0;
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.postgres);
        await client.query(
          'INSERT INTO migrations (version, name, applied_at) VALUES ($1, $2, $3)',
          [m.version, m.name, Date.now()],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    // A broken connection has let go of the lock already; its error is the one to report.
    await client
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()])
      .catch(() => undefined);
  }
}
