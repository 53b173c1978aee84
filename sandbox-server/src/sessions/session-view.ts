import type { SessionState, SessionView } from '#contracts/http-api.ts';
import type { LiveSession } from './session.ts';

export type { SessionView };

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
