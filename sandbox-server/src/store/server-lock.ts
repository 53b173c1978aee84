import { isPostgresUrl } from './database-url.ts';
import { acquirePostgresServerLock, assertPostgresFree } from './postgres/postgres-server-lock.ts';
import type { ServerLock } from './server-lock-holder.ts';
import { acquireSqliteServerLock, assertSqliteFree } from './sqlite/sqlite-server-lock.ts';

export { DatabaseHeldError, type ServerLock, type ServerLockHolder } from './server-lock-holder.ts';

/**
 * One live server per database. Take the database's server lock, or throw `DatabaseHeldError`
 * naming the server that holds it (at once: no waiting). SQLite's lock is a write lock on a
 * file beside the database; Postgres's an advisory lock held by a connection of its own. Either
 * is let go by the system when the process ends however it ends (SIGKILL, OOM, power), so a
 * crashed server's lock is never stale. `onLost` hears when a Postgres lock's connection breaks
 * (the database restarted): the server then no longer holds it.
 *
 * @example
 * const lock = await acquireServerLock(cfg.database);
 * await lock.announce('http://127.0.0.1:4321');
 * // … serve …
 * await lock.release();
 */
export async function acquireServerLock(
  database: string,
  onLost: (error: Error) => void = () => undefined,
): Promise<ServerLock> {
  if (isPostgresUrl(database)) return acquirePostgresServerLock(database, onLost);
  return acquireSqliteServerLock(database);
}

/**
 * Throw `DatabaseHeldError` when a live server holds `database`; `handson start` asks before it
 * spends a minute on setup and a site build the running server is serving from.
 *
 * @example
 * await assertDatabaseFree(loadConfig().database);
 */
export async function assertDatabaseFree(database: string): Promise<void> {
  if (isPostgresUrl(database)) return assertPostgresFree(database);
  assertSqliteFree(database);
}
