import { randomBytes } from 'node:crypto';
import { RateLimiter } from '../rate-limiter.ts';
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
  const limiters = new Map<string, RateLimiter>();
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
    // One server per SQLite database: nothing to share, so the budget stays in its memory.
    limiter(name, limit, _whenStoreFails, now) {
      const limiter = limiters.get(name) ?? new RateLimiter(limit, now);
      limiters.set(name, limiter);
      return limiter;
    },
    async close() {
      db.close();
    },
  };
}
