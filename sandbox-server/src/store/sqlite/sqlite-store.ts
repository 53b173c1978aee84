import { randomBytes } from 'node:crypto';
import type { Store } from '../store.ts';
import { openSqlite } from './open-sqlite.ts';
import { SqliteAttemptRepository } from './sqlite-attempt-repository.ts';
import { SqliteProgressRepository } from './sqlite-progress-repository.ts';
import { SqliteSessionRepository } from './sqlite-session-repository.ts';
import { SqliteWorkshopRepository } from './sqlite-workshop-repository.ts';

/**
 * The embedded default: one SQLite file (or `:memory:` in tests), opened and migrated.
 *
 * @example
 * const store = openSqliteStore('/var/lib/handson/handson.sqlite');
 */
export function openSqliteStore(file: string): Store {
  const db = openSqlite(file);
  return {
    kind: 'sqlite',
    sessions: new SqliteSessionRepository(db),
    attempts: new SqliteAttemptRepository(db),
    progress: new SqliteProgressRepository(db),
    workshops: new SqliteWorkshopRepository(db),
    async serverInstanceId() {
      db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(
        'server_id',
        randomBytes(8).toString('hex'),
      );
      const row = db.prepare('SELECT value FROM meta WHERE key = ?').get('server_id') as {
        value: string;
      };
      return row.value;
    },
    async close() {
      db.close();
    },
  };
}
