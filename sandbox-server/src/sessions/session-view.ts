import type { SessionState } from '../store/session-repository.ts';
import type { LiveSession } from './session.ts';

/** What `GET /api/sessions/:id` answers: state plus the data a page needs to warn before expiry. */
export interface SessionView {
  id: string;
  state: SessionState;
  lang: 'ja' | 'en';
  lesson: string | null;
  step: string | null;
  createdAt: string;
  /** The hard end (TTL); `POST …/extend` moves it later. */
  expiresAt: string;
  /** When the idle timeout ends the session unless the learner types, checks or saves. */
  idleExpiresAt: string;
  /** Why the session failed or expired, in words a learner can act on. */
  message?: string;
}

/**
 * The public view of a session.
 *
 * @example
 * sessionView(session, 30 * 60_000, probe) // {id, state: 'ready', expiresAt: '2026-…', …}
 */
export function sessionView(
  s: LiveSession,
  idleMs: number,
  health?: { state: SessionState; message?: string },
): SessionView {
  const r = s.row;
  const state = health?.state ?? r.state;
  const message = health?.message ?? r.message ?? undefined;
  return {
    id: r.id,
    state,
    lang: s.lang,
    lesson: r.lesson,
    step: r.step,
    createdAt: new Date(r.createdAt).toISOString(),
    expiresAt: new Date(r.expiresAt).toISOString(),
    idleExpiresAt: new Date(r.lastActivityAt + idleMs).toISOString(),
    ...(message ? { message } : {}),
  };
}
