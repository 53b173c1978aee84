import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';

/**
 * The id of the server that owns this database, created on first use. Sandboxes are labelled
 * with it, so a restarted server removes only its own orphans and never the sandboxes of
 * another server or of `handson verify` on the same engine.
 *
 * @example
 * serverInstanceId(db) // 'a1b2c3d4e5f6a7b8', the same on every start
 */
export function serverInstanceId(db: Database): string {
  db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(
    'server_id',
    randomBytes(8).toString('hex'),
  );
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get('server_id') as {
    value: string;
  };
  return row.value;
}
