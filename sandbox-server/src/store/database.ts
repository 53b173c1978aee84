import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate } from './migrations.ts';

export type { Database } from 'better-sqlite3';

/**
 * Open (creating if needed) the project's SQLite database, in WAL mode so readers never wait
 * for the reaper's writes, with the schema migrated to the latest version.
 *
 * @example
 * const db = openDatabase(loadConfig().database);
 * const db2 = openDatabase(':memory:'); // tests
 */
export function openDatabase(file: string): Database {
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
  migrate(db);
  return db;
}
