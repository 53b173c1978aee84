import type { Database } from 'better-sqlite3';

import type { SessionState } from '#contracts/http-api.ts';

export type { SessionState };

/** One row of the `sessions` table, times in epoch milliseconds. */
export interface SessionRow {
  id: string;
  tokenHash: string;
  learnerId: string | null;
  lang: string;
  lesson: string | null;
  step: string | null;
  state: SessionState;
  message: string | null;
  sandboxId: string | null;
  driver: string;
  createdAt: number;
  expiresAt: number;
  lastActivityAt: number;
  /** The workshop the session belongs to; such a session is never reaped for idleness. */
  workshopId?: string | null;
}

interface DbRow {
  id: string;
  token_hash: string;
  learner_id: string | null;
  lang: string;
  lesson: string | null;
  step: string | null;
  state: SessionState;
  message: string | null;
  sandbox_id: string | null;
  driver: string;
  created_at: number;
  expires_at: number;
  last_activity_at: number;
  workshop_id: string | null;
}

const fromDb = (r: DbRow): SessionRow => ({
  id: r.id,
  tokenHash: r.token_hash,
  learnerId: r.learner_id,
  lang: r.lang,
  lesson: r.lesson,
  step: r.step,
  state: r.state,
  message: r.message,
  sandboxId: r.sandbox_id,
  driver: r.driver,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastActivityAt: r.last_activity_at,
  workshopId: r.workshop_id,
});

/** Columns a caller may change after creation. */
export type SessionPatch = Partial<
  Pick<
    SessionRow,
    | 'tokenHash'
    | 'lesson'
    | 'step'
    | 'state'
    | 'message'
    | 'sandboxId'
    | 'expiresAt'
    | 'lastActivityAt'
  >
>;

const COLUMN: Record<keyof SessionPatch, string> = {
  tokenHash: 'token_hash',
  lesson: 'lesson',
  step: 'step',
  state: 'state',
  message: 'message',
  sandboxId: 'sandbox_id',
  expiresAt: 'expires_at',
  lastActivityAt: 'last_activity_at',
};

/**
 * The `sessions` table behind a few plain methods.
 *
 * @example
 * const repo = new SessionRepository(openDatabase(':memory:'));
 * repo.insert(row);
 * repo.update(row.id, { state: 'ready', sandboxId: 'abc' });
 */
export class SessionRepository {
  constructor(private readonly db: Database) {}

  insert(row: SessionRow): void {
    this.db
      .prepare(
        `INSERT INTO sessions (id, token_hash, learner_id, lang, lesson, step, state, message,
           sandbox_id, driver, created_at, expires_at, last_activity_at, workshop_id)
         VALUES (@id, @tokenHash, @learnerId, @lang, @lesson, @step, @state, @message,
           @sandboxId, @driver, @createdAt, @expiresAt, @lastActivityAt, @workshopId)`,
      )
      .run({ ...row, workshopId: row.workshopId ?? null });
  }

  get(id: string): SessionRow | undefined {
    const r = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as DbRow | undefined;
    return r && fromDb(r);
  }

  update(id: string, patch: SessionPatch): void {
    const keys = Object.keys(patch) as (keyof SessionPatch)[];
    if (keys.length === 0) return;
    const set = keys.map((k) => `${COLUMN[k]} = @${k}`).join(', ');
    this.db.prepare(`UPDATE sessions SET ${set} WHERE id = @id`).run({ ...patch, id });
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
  }

  /** Sessions in the given states (all when none given). */
  list(states?: SessionState[]): SessionRow[] {
    const rows = states?.length
      ? this.db
          .prepare(`SELECT * FROM sessions WHERE state IN (${states.map(() => '?').join(',')})`)
          .all(...states)
      : this.db.prepare('SELECT * FROM sessions').all();
    return (rows as DbRow[]).map(fromDb);
  }

  /** Remove expired sessions whose last activity is older than `before`; returns how many. */
  purgeExpired(before: number): number {
    return this.db
      .prepare("DELETE FROM sessions WHERE state = 'expired' AND last_activity_at < ?")
      .run(before).changes;
  }
}
