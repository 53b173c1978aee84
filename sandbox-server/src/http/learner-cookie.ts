import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { LEARNER_ID } from '#contracts/http-api.ts';

/**
 * The anonymous learner id a browser keeps across sessions (progress without an
 * account): an HttpOnly cookie, set by the first `POST /api/sessions`.
 */

export const LEARNER_COOKIE = 'handson_learner';
const ONE_YEAR_S = 365 * 24 * 3600;

/** The learner id of the request's cookie, if it is well-formed. */
export function learnerFromCookie(c: Context): string | undefined {
  const value = getCookie(c, LEARNER_COOKIE);
  return value && LEARNER_ID.test(value) ? value : undefined;
}

export function isLearnerId(value: string): boolean {
  return LEARNER_ID.test(value);
}

export function newLearnerId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The request's learner (cookie), or a new one remembered in a fresh cookie.
 *
 * @example
 * const learner = ensureLearnerCookie(c);
 */
export function ensureLearnerCookie(c: Context): string {
  const known = learnerFromCookie(c);
  if (known) return known;
  const learner = newLearnerId();
  setLearnerCookie(c, learner);
  return learner;
}

/** Remember `learner` in the browser (a workshop join makes the learner that person). */
export function setLearnerCookie(c: Context, learner: string): void {
  setCookie(c, LEARNER_COOKIE, learner, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: ONE_YEAR_S,
  });
}
