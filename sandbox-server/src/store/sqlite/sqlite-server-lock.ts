import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import {
  DatabaseHeldError,
  type ServerLock,
  type ServerLockHolder,
} from '../server-lock-holder.ts';

/**
 * SQLite's one-server-per-database lock. The lock is a write lock on a small SQLite file beside the
 * database (`<database>.lock`), held for the server's whole life: the kernel releases it when
 * the process ends, however it ends (SIGKILL, OOM, power), so a crashed server's lock is never
 * stale and needs no pid guessing. Who holds it is written to `<database>.server.json` for the
 * message a refused server prints (pid, address, since when).
 */

function readHolder(file: string): ServerLockHolder | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ServerLockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.address !== 'string') return undefined;
    return { pid: parsed.pid, address: parsed.address, startedAt: String(parsed.startedAt) };
  } catch {
    return undefined;
  }
}

function writeHolder(file: string, holder: ServerLockHolder): void {
  // Written aside and renamed, so a reader never sees half a file.
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, `${JSON.stringify(holder)}\n`);
  fs.renameSync(partial, file);
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/**
 * Take the database's server lock, or throw `DatabaseHeldError` naming the server that holds it
 * (at once: no waiting). `:memory:` databases need no lock.
 *
 * @example
 * const lock = acquireSqliteServerLock(cfg.database);
 * await lock.announce('http://127.0.0.1:4321');
 * // … serve …
 * await lock.release();
 */
export function acquireSqliteServerLock(database: string): ServerLock {
  if (database === ':memory:')
    return { announce: async () => undefined, release: async () => undefined };
  const holderFile = `${database}.server.json`;
  fs.mkdirSync(path.dirname(database), { recursive: true });
  let lockDb: Database | undefined = new BetterSqlite3(`${database}.lock`, { timeout: 0 });
  try {
    // A write lock (RESERVED) kept open: other servers may read the file but never take it.
    lockDb.exec('BEGIN IMMEDIATE');
  } catch (error) {
    lockDb.close();
    if (isBusy(error)) throw new DatabaseHeldError(database, readHolder(holderFile));
    throw error;
  }
  const startedAt = new Date().toISOString();
  writeHolder(holderFile, { pid: process.pid, address: 'starting', startedAt });
  return {
    async announce(address) {
      if (lockDb) writeHolder(holderFile, { pid: process.pid, address, startedAt });
    },
    async release() {
      if (!lockDb) return;
      if (readHolder(holderFile)?.pid === process.pid) fs.rmSync(holderFile, { force: true });
      lockDb.close();
      lockDb = undefined;
    },
  };
}

/**
 * Throw `DatabaseHeldError` when a live server holds the SQLite `database`.
 *
 * @example
 * assertSqliteFree('/var/lib/handson/handson.sqlite');
 */
export function assertSqliteFree(database: string): void {
  if (!fs.existsSync(`${database}.lock`)) return;
  void acquireSqliteServerLock(database).release();
}
