import type { LessonCatalog } from '../lessons/catalog.ts';
import { LessonError } from '../lessons/load-lesson.ts';
import type { Sandbox } from '../sandbox/driver.ts';
import { withLessonReplay } from './lesson-replay.ts';

/**
 * Bring a sandbox to the start of a step: run the lesson's setup and the solutions of every
 * step before it, typed into a terminal of its own (`replay`), so the learner's shell is left
 * alone. Used by `POST /api/sessions/:id/goto` and to bring back a reaped sandbox.
 */

export interface ReplayOptions {
  signal?: AbortSignal;
  /** Where lessons come from: the server's one catalogue. */
  catalog: LessonCatalog;
  /** Seconds one command may take (default 60). */
  commandTimeoutS?: number;
}

/**
 * Replay setup + the solutions of the steps before `stepId`. Throws LessonError for an unknown
 * lesson or step, SolutionError when a solution fails (naming the step).
 *
 * @example
 * await replayUntil(sandbox, 'first-containers', 'logs', { signal, catalog });
 */
export async function replayUntil(
  sandbox: Sandbox,
  lessonId: string,
  stepId: string,
  opts: ReplayOptions,
): Promise<void> {
  const lesson = await opts.catalog.lesson(lessonId);
  if (!lesson) throw new LessonError([`there is no lesson "${lessonId}"`]);
  const index = lesson.spec.steps.findIndex((s) => s.id === stepId);
  if (index === -1) throw new LessonError([`lesson "${lessonId}" has no step "${stepId}"`]);
  const replay = { terminal: 'replay', signal: opts.signal, commandTimeoutS: opts.commandTimeoutS };
  await withLessonReplay(sandbox, lesson, replay, async ({ setup, step }) => {
    await setup();
    for (const earlier of lesson.spec.steps.slice(0, index)) {
      try {
        await step(earlier);
      } catch (error) {
        if (error instanceof Error) error.message = `step "${earlier.id}": ${error.message}`;
        throw error;
      }
    }
  });
}
