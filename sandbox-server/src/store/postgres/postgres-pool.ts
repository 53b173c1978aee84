import pg from 'pg';
import { displayDatabase } from '../database-url.ts';

/** Anything that runs a query: the pool, or one client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** Postgres's type ids whose text form this store reads as JavaScript numbers. */
const INT8 = 20;

/**
 * BIGINT columns (epoch milliseconds, identities, COUNT and MAX) as numbers rather than the
 * driver's default strings: every time here is far below 2^53.
 */
export const PG_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8 && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** Options every connection of the store shares. */
export function clientConfig(url: string): pg.ClientConfig {
  return {
    connectionString: url,
    types: PG_TYPES,
    // A database that does not answer must fail a start, not hang it.
    connectionTimeoutMillis: 10_000,
    application_name: 'handson',
  };
}

/** The error a person sees when Postgres cannot be reached, with what to do next. */
export function unreachable(url: string, error: unknown): Error {
  return new Error(
    `Cannot open the session database ${displayDatabase(url)}: ${(error as Error).message}. ` +
      'Check that PostgreSQL runs and the URL (user, password, host, port, database) is right, ' +
      'or unset HANDSON_DATABASE to use the embedded SQLite file.',
  );
}

/**
 * A pool of connections to `url`, tried once so a wrong URL fails now with a message a person
 * can act on, not at the first request.
 *
 * @example
 * const pool = await openPool('postgres://handson:pw@127.0.0.1:5433/handson');
 */
export async function openPool(url: string, log: (m: string) => void): Promise<pg.Pool> {
  const pool = new pg.Pool({ ...clientConfig(url), max: 10, idleTimeoutMillis: 30_000 });
  // An idle connection that breaks (Postgres restarted) must not crash the server: the pool
  // drops it and the next query opens a fresh one.
  pool.on('error', (error) => log(`postgres: an idle connection broke: ${error.message}`));
  try {
    (await pool.connect()).release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw unreachable(url, error);
  }
  return pool;
}

/**
 * Run `fn` in one transaction on one connection: committed when it resolves, rolled back when
 * it throws.
 *
 * @example
 * const deleted = await inTransaction(pool, async (tx) => (await tx.query('DELETE …')).rowCount);
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  fn: (tx: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is not given back to the pool.
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** `$first, $first+1, …` for a list of `count` values. */
export function placeholders(count: number, first = 1): string {
  return Array.from({ length: count }, (_, i) => `$${first + i}`).join(', ');
}
