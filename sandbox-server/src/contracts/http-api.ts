import { z } from 'zod';
import { LANGS, type Lang } from './lang.ts';

/**
 * The HTTP API's bodies as the browser and the server both see them (the public contract,
 * extended in sandbox-server/API.md). Framework-free: the site imports it as `#contracts/…`.
 */

/** Every error answer: `{error: {code, message}}`. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** The states of a session's sandbox. */
export type SessionState = 'starting' | 'ready' | 'failed' | 'expired';

const id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-"');

/** A learner id chosen by a non-browser client (browsers get the learner cookie). */
export const LEARNER_ID = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Body of `POST /api/sessions`: the lesson and, optionally, the step to start at (a resumed
 * start is then one provisioning, not a create and a goto).
 */
export const createSessionBody = z
  .object({
    lesson: id.optional(),
    step: id.optional(),
    lang: z.enum(LANGS).optional(),
    learner: z.string().regex(LEARNER_ID, 'expected 16–64 letters, digits, "_" or "-"').optional(),
  })
  .refine((b) => b.step === undefined || b.lesson !== undefined, {
    message: 'a step needs its lesson',
    path: ['step'],
  });
export type CreateSessionBody = z.infer<typeof createSessionBody>;

/** Answer of `POST /api/sessions` (201). */
export interface CreatedSession {
  id: string;
  token: string;
  expiresAt: string;
  /** The learner the session belongs to. */
  learner?: string;
}

/** Body of `POST /api/sessions/:id/goto`. */
export const gotoBody = z.object({ lesson: id, step: id });

/** What `GET /api/sessions/:id` answers: state plus what a page needs to warn before expiry. */
export interface SessionView {
  id: string;
  state: SessionState;
  lang: Lang;
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

/** Body of `POST /api/sessions/:id/check`. */
export const checkRequestBody = z
  .object({
    lesson: z.string().min(1),
    step: z.string().min(1),
    lang: z.enum(LANGS).optional(),
  })
  .strict();

/** One check's verdict, in the learner's language. */
export interface CheckResult {
  passed: boolean;
  message: string;
}

/** Answer of `POST /api/sessions/:id/check`. */
export interface CheckOutcome {
  passed: boolean;
  checks: CheckResult[];
}

export type { TicketResponse as TerminalTicket } from './terminal-protocol.ts';
