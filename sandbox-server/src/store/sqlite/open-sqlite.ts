import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrateSqlite } from './sqlite-migrate.ts';

/**
 * Open (creating if needed) the project's SQLite database, in WAL mode so readers never wait
 * for the reaper's writes, with the schema migrated to the latest version.
 *
 * @example
 * const db = openSqlite('/var/lib/handson/handson.sqlite');
 * const db2 = openSqlite(':memory:'); // tests
 */
export function openSqlite(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: Database;
  try {
    db = new BetterSqlite3(file);
  } catch (error) {
    throw new Error(
      `Cannot open the session database ${file}: ${(error as Error).message}. ` +
        'Check that the directory is writable, or set HANDSON_DATABASE to another file.',
    );
  }
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL is durable across process crashes; only an OS crash may lose the last writes.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrateSqlite(db);
  return db;
}
