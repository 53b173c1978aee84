import type pg from 'pg';
import {
  SESSION_PATCH_COLUMN,
  type SessionDbRow,
  type SessionPatch,
  type SessionRepository,
  type SessionRow,
  type SessionState,
  sessionFromDb,
} from '../session-repository.ts';
import { placeholders } from './postgres-pool.ts';

/**
 * The `sessions` table in Postgres: the same columns and answers as the SQLite one.
 *
 * @example
 * const repo = new PostgresSessionRepository(pool);
 * await repo.update('s1', { state: 'ready' });
 */
export class PostgresSessionRepository implements SessionRepository {
  constructor(private readonly pool: pg.Pool) {}

  async insert(row: SessionRow): Promise<void> {
    await this.pool.query(
      `INSERT INTO sessions (id, token_hash, learner_id, lang, lesson, step, state, message,
         sandbox_id, driver, created_at, expires_at, last_activity_at, workshop_id)
       VALUES (${placeholders(14)})`,
      [
        row.id,
        row.tokenHash,
        row.learnerId,
        row.lang,
        row.lesson,
        row.step,
        row.state,
        row.message,
        row.sandboxId,
        row.driver,
        row.createdAt,
        row.expiresAt,
        row.lastActivityAt,
        row.workshopId ?? null,
      ],
    );
  }

  async get(id: string): Promise<SessionRow | undefined> {
    const { rows } = await this.pool.query<SessionDbRow>('SELECT * FROM sessions WHERE id = $1', [
      id,
    ]);
    return rows[0] && sessionFromDb(rows[0]);
  }

  async update(id: string, patch: SessionPatch): Promise<void> {
    const keys = Object.keys(patch) as (keyof SessionPatch)[];
    if (keys.length === 0) return;
    const set = keys.map((k, i) => `${SESSION_PATCH_COLUMN[k]} = $${i + 2}`).join(', ');
    await this.pool.query(`UPDATE sessions SET ${set} WHERE id = $1`, [
      id,
      ...keys.map((k) => patch[k]),
    ]);
  }

  async delete(id: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE id = $1', [id]);
  }

  async list(states?: SessionState[]): Promise<SessionRow[]> {
    const { rows } = states?.length
      ? await this.pool.query<SessionDbRow>(
          `SELECT * FROM sessions WHERE state IN (${placeholders(states.length)})`,
          states,
        )
      : await this.pool.query<SessionDbRow>('SELECT * FROM sessions');
    return rows.map(sessionFromDb);
  }

  async purgeExpired(before: number): Promise<number> {
    const result = await this.pool.query(
      "DELETE FROM sessions WHERE state = 'expired' AND last_activity_at < $1",
      [before],
    );
    return result.rowCount ?? 0;
  }
}
