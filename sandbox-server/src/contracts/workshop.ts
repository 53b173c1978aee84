import { z } from 'zod';
import { LANGS, type Lang } from './lang.ts';

/**
 * The workshop API's wire shapes, shared by the server, the instructor's dashboard, the join
 * page and the CLI (sandbox-server/API.md describes the routes).
 */

const lessonId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a lesson id like "03-lifecycle"');

/** `POST /api/workshops` (admin). */
export const createWorkshopBody = z
  .object({
    title: z.string().trim().min(1).max(120).optional(),
    lessons: z.array(lessonId).min(1).max(50),
    durationMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60),
    maxLearners: z.number().int().min(1).max(1000),
    lang: z.enum(LANGS).optional(),
  })
  .strict();
export type CreateWorkshopBody = z.infer<typeof createWorkshopBody>;

/**
 * Join codes: eight letters and digits without look-alikes (0/O, 1/I/L): 31^8 ≈ 8.5·10^11
 * codes, too many to guess within the wrong-code budget even for a class behind one NAT.
 * Codes made before were six characters; they keep working.
 */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const JOIN_CODE_LENGTH = 8;

/**
 * `POST /api/workshops/join`. `learner` with `secret` (both from an earlier join) re-joins as
 * the same person after a reload.
 */
export const joinWorkshopBody = z
  .object({
    code: z
      .string()
      .trim()
      .min(1)
      .max(20)
      .transform((c) => c.toUpperCase().replace(/[\s-]/g, '')),
    name: z
      .string()
      .trim()
      .min(1, 'enter the name the instructor will see')
      .max(40)
      .refine((n) => !/\p{Cc}/u.test(n), 'no control characters'),
    learner: z.string().min(1).max(100).optional(),
    secret: z.string().min(1).max(200).optional(),
    lang: z.enum(LANGS).optional(),
  })
  .strict();
export type JoinWorkshopBody = z.infer<typeof joinWorkshopBody>;

export const gotoLearnerBody = z.object({ lesson: lessonId, step: lessonId }).strict();
export const extendLearnerBody = z
  .object({
    minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .optional(),
  })
  .strict();
export const broadcastBody = z.object({ text: z.string().trim().min(1).max(500) }).strict();

export interface WorkshopView {
  id: string;
  code: string;
  title: string;
  lessons: string[];
  maxLearners: number;
  lang: Lang;
  createdAt: string;
  endsAt: string;
  /** Set when the instructor ended it (or when it ran out). */
  endedAt: string | null;
  state: 'running' | 'ended';
  learners: number;
  /** Path learners open to join (`/<lang>/join/?code=…`). */
  joinPath: string;
  /** Path of the instructor's dashboard. */
  dashboardPath: string;
}

/** The 201 of `POST /api/workshops/join`: a session like `POST /api/sessions`, plus where to go. */
export interface JoinResponse {
  id: string;
  token: string;
  expiresAt: string;
  learner: string;
  /** What a re-join must show with `learner`; each join gives a new one (the old one stops working). */
  secret: string;
  name: string;
  workshop: { id: string; title: string; endsAt: string; lessons: string[] };
  /** The first lesson of the workshop, where the learner starts. */
  lesson: string;
}

/** One step cell of the dashboard grid. */
export type CellState = 'done' | 'failing' | 'working' | 'todo';

export interface DashboardStep {
  lesson: string;
  step: string;
}

export interface DashboardLearner {
  learner: string;
  name: string;
  session: string;
  /** The session's state (a reaped or failed sandbox shows here). */
  sessionState: 'starting' | 'ready' | 'failed' | 'expired' | 'gone';
  /** One entry per dashboard step, in the grid's column order. */
  cells: CellState[];
  passed: number;
  /** The first step not passed yet, or null when every step is done. */
  current: DashboardStep | null;
  /** Milliseconds on the current step (since the previous step passed, or since joining). */
  onStepMs: number;
  failedAttempts: number;
  /** The last failing check's message on the current step. */
  lastFailure: string | null;
  stuck: boolean;
}

/** What the dashboard's live stream sends (event `dashboard`), and `GET …/learners` returns. */
export interface DashboardSnapshot {
  workshop: WorkshopView;
  steps: DashboardStep[];
  /** Stuck learners first (longest stuck first), then the rest, least progress first. */
  learners: DashboardLearner[];
  messages: { id: number; text: string; sentAt: string }[];
  at: string;
}

/** What a learner's event stream sends: instructor messages and the workshop's clock. */
export type LearnerEvent =
  | { type: 'workshop'; title: string; endsAt: string; state: 'running' | 'ended' }
  | { type: 'message'; id: number; text: string; sentAt: string };
