import os from 'node:os';
import pg from 'pg';
import {
  DatabaseHeldError,
  type ServerLock,
  type ServerLockHolder,
} from '../server-lock-holder.ts';
import { migratePostgres } from './postgres-migrate.ts';
import { clientConfig, unreachable } from './postgres-pool.ts';

/**
 * Postgres's one-server-per-database lock: a session-level advisory lock held by a connection
 * of its own for the server's whole life. Postgres lets go of it when that connection ends,
 * however the process ends, so a crashed server's lock is never stale. Who holds it is the
 * `server` row of `server_leases`, for the message a refused server prints.
 */

/** The advisory lock key of the one-server lock ("handson" and a zero). */
export const SERVER_LOCK_KEY = 0x68616e64736f6e00n;
const LEASE = 'server';

/**
 * Who holds the lease row `name` (`server`, or a replica's name), for the message a refused
 * process prints; undefined when there is none or it cannot be read.
 */
export async function readLease(
  client: pg.Client,
  name: string,
): Promise<ServerLockHolder | undefined> {
  try {
    const { rows } = await client.query<{
      pid: number;
      host: string;
      address: string;
      started_at: number;
    }>('SELECT pid, host, address, started_at FROM server_leases WHERE name = $1', [name]);
    const r = rows[0];
    if (!r) return undefined;
    return {
      pid: r.pid,
      host: r.host,
      address: r.address,
      startedAt: new Date(r.started_at).toISOString(),
    };
  } catch {
    return undefined;
  }
}

async function writeHolder(client: pg.Client, address: string, startedAt: number): Promise<void> {
  await client.query(
    `INSERT INTO server_leases (name, pid, host, address, started_at, renewed_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, NULL)
     ON CONFLICT (name) DO UPDATE SET pid = $2, host = $3, address = $4, started_at = $5,
       renewed_at = $6, expires_at = NULL`,
    [LEASE, process.pid, os.hostname(), address, startedAt, Date.now()],
  );
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(url));
  try {
    await client.connect();
  } catch (error) {
    throw unreachable(url, error);
  }
  return client;
}

/**
 * Take the Postgres database's server lock, or throw `DatabaseHeldError` naming its holder.
 *
 * @example
 * const lock = await acquirePostgresServerLock(url, (e) => log(e.message));
 */
export async function acquirePostgresServerLock(
  url: string,
  onLost: (error: Error) => void,
): Promise<ServerLock> {
  const client = await connect(url);
  let released = false;
  // The lock's connection breaking (Postgres restarted) ends the lock; an unhandled 'error'
  // event would end the process instead.
  client.on('error', (error) => {
    if (!released) onLost(new Error(`The database server lock was lost: ${error.message}`));
  });
  const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
    SERVER_LOCK_KEY.toString(),
  ]);
  if (!rows[0]?.ok) {
    const holder = await readLease(client, LEASE);
    await client.end();
    throw new DatabaseHeldError(url, holder);
  }
  const startedAt = Date.now();
  try {
    // The holder migrates (the lease table is part of the schema); openStore then finds
    // nothing left to do.
    await migratePostgres(client);
    await writeHolder(client, 'starting', startedAt);
  } catch (error) {
    released = true;
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    async announce(address) {
      if (!released) await writeHolder(client, address, startedAt);
    },
    async release() {
      if (released) return;
      released = true;
      await client
        .query('DELETE FROM server_leases WHERE name = $1 AND pid = $2', [LEASE, process.pid])
        .catch(() => undefined);
      // Ending the connection ends the advisory lock with it.
      await client.end().catch(() => undefined);
    },
  };
}

/**
 * Throw `DatabaseHeldError` when a live server holds the Postgres database `url`.
 *
 * @example
 * await assertPostgresFree('postgres://handson:pw@127.0.0.1:5433/handson');
 */
export async function assertPostgresFree(url: string): Promise<void> {
  await (await acquirePostgresServerLock(url, () => undefined)).release();
}
