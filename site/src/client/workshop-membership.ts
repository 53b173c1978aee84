import type { JoinResponse } from '#contracts/workshop.ts';
import { saveSession } from './progress.ts';

/**
 * What the browser remembers of the workshop it joined: who the learner is (to re-join after a
 * reload or on another tab) and the one session every workshop lesson uses, saved under each
 * lesson so the lesson page resumes it instead of creating a stray session of its own.
 */

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const KEY = 'handson.workshop';

export interface Membership {
  workshopId: string;
  title: string;
  endsAt: string;
  lessons: string[];
  learner: string;
  /** Shown with `learner` to re-join as the same person (absent in memberships saved before). */
  secret?: string;
  name: string;
  code: string;
  session: { id: string; token: string; expiresAt: string };
}

export function loadMembership(storage: StorageLike): Membership | undefined {
  try {
    const raw = storage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Membership) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Remember a join: the membership, and the session under every lesson of the workshop.
 *
 * @example
 * rememberJoin(localStorage, await joinWorkshop(code, name), code);
 */
export function rememberJoin(storage: StorageLike, joined: JoinResponse, code: string): Membership {
  const session = { id: joined.id, token: joined.token, expiresAt: joined.expiresAt };
  const membership: Membership = {
    workshopId: joined.workshop.id,
    title: joined.workshop.title,
    endsAt: joined.workshop.endsAt,
    lessons: joined.workshop.lessons,
    learner: joined.learner,
    secret: joined.secret,
    name: joined.name,
    code,
    session,
  };
  storage.setItem(KEY, JSON.stringify(membership));
  for (const lesson of joined.workshop.lessons) saveSession(storage, lesson, session);
  return membership;
}

/** The workshop is over: forget it (its sessions are gone on the server too). */
export function forgetMembership(storage: StorageLike): void {
  storage.removeItem(KEY);
}
