import { loadConfig } from '../config.ts';
import { contentDir, type LessonCatalog, lessonCatalog } from '../lessons/catalog.ts';
import { LessonError } from '../lessons/load-lesson.ts';
import type { Sandbox } from '../sandbox/driver.ts';
import { openTerminal } from '../terminal/open-terminal.ts';
import { SolutionTypist } from './solution-runner.ts';

/**
 * Bring a sandbox to the start of a step: run the lesson's setup and the solutions of every
 * step before it, typed into a terminal of its own (`replay`), so the learner's shell is left
 * alone. Used by `POST /api/sessions/:id/goto` and to bring back a reaped sandbox.
 */

export interface ReplayOptions {
  signal?: AbortSignal;
  /** Where lessons come from (default: the server's content). */
  catalog?: LessonCatalog;
  /** Seconds one command may take (default 60). */
  commandTimeoutS?: number;
}

let defaultCatalog: LessonCatalog | undefined;

/**
 * Replay setup + the solutions of the steps before `stepId`. Throws LessonError for an unknown
 * lesson or step, SolutionError when a solution fails (naming the step).
 *
 * @example
 * await replayUntil(sandbox, 'first-containers', 'logs', { signal });
 */
export async function replayUntil(
  sandbox: Sandbox,
  lessonId: string,
  stepId: string,
  opts: ReplayOptions = {},
): Promise<void> {
  defaultCatalog ??= lessonCatalog(contentDir(loadConfig()));
  const catalog = opts.catalog ?? defaultCatalog;
  const lesson = await catalog.lesson(lessonId);
  if (!lesson) throw new LessonError([`there is no lesson "${lessonId}"`]);
  const index = lesson.spec.steps.findIndex((s) => s.id === stepId);
  if (index === -1) throw new LessonError([`lesson "${lessonId}" has no step "${stepId}"`]);
  const term = await openTerminal(sandbox, { id: 'replay' });
  try {
    const typist = new SolutionTypist(term);
    const typing = { signal: opts.signal, commandTimeoutS: opts.commandTimeoutS };
    await typist.prepare(typing);
    if (lesson.spec.setup) await typist.run(lesson.spec.setup, typing);
    for (const step of lesson.spec.steps.slice(0, index)) {
      try {
        await typist.run(step.solution, typing);
      } catch (error) {
        if (error instanceof Error) error.message = `step "${step.id}": ${error.message}`;
        throw error;
      }
    }
  } finally {
    await term.close();
  }
}
