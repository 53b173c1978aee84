import type { Database } from 'better-sqlite3';
import {
  SESSION_PATCH_COLUMN,
  type SessionDbRow,
  type SessionPatch,
  type SessionRepository,
  type SessionRow,
  type SessionState,
  sessionFromDb,
} from '../session-repository.ts';

/**
 * The `sessions` table in SQLite. better-sqlite3 is synchronous: each method has done its
 * work when it returns, and hands back a settled promise.
 *
 * @example
 * const repo = new SqliteSessionRepository(openSqlite(':memory:'));
 * await repo.insert(row);
 */
export class SqliteSessionRepository implements SessionRepository {
  constructor(private readonly db: Database) {}

  async insert(row: SessionRow): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO sessions (id, token_hash, learner_id, lang, lesson, step, state, message,
           sandbox_id, driver, created_at, expires_at, last_activity_at, workshop_id)
         VALUES (@id, @tokenHash, @learnerId, @lang, @lesson, @step, @state, @message,
           @sandboxId, @driver, @createdAt, @expiresAt, @lastActivityAt, @workshopId)`,
      )
      .run({ ...row, workshopId: row.workshopId ?? null });
  }

  async get(id: string): Promise<SessionRow | undefined> {
    const r = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as
      | SessionDbRow
      | undefined;
    return r && sessionFromDb(r);
  }

  async update(id: string, patch: SessionPatch): Promise<void> {
    const keys = Object.keys(patch) as (keyof SessionPatch)[];
    if (keys.length === 0) return;
    const set = keys.map((k) => `${SESSION_PATCH_COLUMN[k]} = @${k}`).join(', ');
    this.db.prepare(`UPDATE sessions SET ${set} WHERE id = @id`).run({ ...patch, id });
  }

  async delete(id: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
  }

  async list(states?: SessionState[]): Promise<SessionRow[]> {
    const rows = states?.length
      ? this.db
          .prepare(`SELECT * FROM sessions WHERE state IN (${states.map(() => '?').join(',')})`)
          .all(...states)
      : this.db.prepare('SELECT * FROM sessions').all();
    return (rows as SessionDbRow[]).map(sessionFromDb);
  }

  async purgeExpired(before: number): Promise<number> {
    return this.db
      .prepare("DELETE FROM sessions WHERE state = 'expired' AND last_activity_at < ?")
      .run(before).changes;
  }
}
