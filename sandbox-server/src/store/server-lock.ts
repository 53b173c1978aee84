import fs from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';

/**
 * One live server per database. The lock is a write lock on a small SQLite file beside the
 * database (`<database>.lock`), held for the server's whole life: the kernel releases it when
 * the process ends, however it ends (SIGKILL, OOM, power), so a crashed server's lock is never
 * stale and needs no pid guessing. Who holds it is written to `<database>.server.json` for the
 * message a refused server prints (pid, address, since when).
 */

export interface ServerLockHolder {
  pid: number;
  /** The server's URL, or `starting` before it listens. */
  address: string;
  startedAt: string;
}

export interface ServerLock {
  /** Record the address once the server listens (for the next refused server's message). */
  announce(address: string): void;
  /** Let go: the next server on this database may start. Idempotent. */
  release(): void;
}

/** The error a second server gets; `holder` is what the running one wrote about itself. */
export class DatabaseHeldError extends Error {
  constructor(
    readonly database: string,
    readonly holder: ServerLockHolder | undefined,
  ) {
    const who = holder
      ? `pid ${holder.pid}, ${holder.address}, since ${holder.startedAt}`
      : 'its pid is not known yet: it is starting';
    super(
      `Another handson server is running on the database ${database} (${who}). ` +
        'Use that server, stop it first, or give this one its own database with HANDSON_DATABASE.',
    );
    this.name = 'DatabaseHeldError';
  }
}

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
 * const lock = acquireServerLock(cfg.database);
 * lock.announce('http://127.0.0.1:4321');
 * // … serve …
 * lock.release();
 */
export function acquireServerLock(database: string): ServerLock {
  if (database === ':memory:') return { announce: () => undefined, release: () => undefined };
  const holderFile = `${database}.server.json`;
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
    announce(address) {
      if (lockDb) writeHolder(holderFile, { pid: process.pid, address, startedAt });
    },
    release() {
      if (!lockDb) return;
      if (readHolder(holderFile)?.pid === process.pid) fs.rmSync(holderFile, { force: true });
      lockDb.close();
      lockDb = undefined;
    },
  };
}

/**
 * Throw `DatabaseHeldError` when a live server holds `database`; `handson start` asks before it
 * spends a minute on setup and a site build the running server is serving from.
 *
 * @example
 * assertDatabaseFree(loadConfig().database);
 */
export function assertDatabaseFree(database: string): void {
  if (!fs.existsSync(`${database}.lock`)) return;
  acquireServerLock(database).release();
}
