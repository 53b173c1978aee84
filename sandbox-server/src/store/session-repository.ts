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

/** The column of each patchable field, shared by both implementations. */
export const SESSION_PATCH_COLUMN: Record<keyof SessionPatch, string> = {
  tokenHash: 'token_hash',
  lesson: 'lesson',
  step: 'step',
  state: 'state',
  message: 'message',
  sandboxId: 'sandbox_id',
  expiresAt: 'expires_at',
  lastActivityAt: 'last_activity_at',
};

/** A `sessions` row as both databases return it. */
export interface SessionDbRow {
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

/** A `sessions` row as the repository hands it out; Postgres rows have the same columns. */
export const sessionFromDb = (r: SessionDbRow): SessionRow => ({
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

/**
 * The `sessions` table behind a few plain methods (SQLite or Postgres, see store.ts).
 *
 * @example
 * const { sessions } = await openStore(':memory:');
 * await sessions.insert(row);
 * await sessions.update(row.id, { state: 'ready', sandboxId: 'abc' });
 */
export interface SessionRepository {
  insert(row: SessionRow): Promise<void>;
  get(id: string): Promise<SessionRow | undefined>;
  update(id: string, patch: SessionPatch): Promise<void>;
  delete(id: string): Promise<void>;
  /** Sessions in the given states (all when none given). */
  list(states?: SessionState[]): Promise<SessionRow[]>;
  /** Remove expired sessions whose last activity is older than `before`; returns how many. */
  purgeExpired(before: number): Promise<number>;
}
