import path from 'node:path';
import type { Step } from '#contracts/lesson.ts';
import type { HandsonConfig } from '../config.ts';
import { findLesson } from './find-lesson.ts';
import { LessonError, type LoadedLesson } from './load-lesson.ts';

/**
 * The server's own copy of the course: lessons are read from `content/lessons` on first use
 * and kept, so checks and replays always come from the server's content, never a request.
 */

/** Where the course's lessons live. */
export function contentDir(cfg: Pick<HandsonConfig, 'projectRoot'>): string {
  return path.join(cfg.projectRoot, 'content', 'lessons');
}

export interface LessonCatalog {
  /** The lesson by id (or folder name), or undefined when there is none (or it is broken). */
  lesson(id: string): Promise<LoadedLesson | undefined>;
  /** The step of a lesson, or undefined. */
  step(lessonId: string, stepId: string): Promise<{ lesson: LoadedLesson; step: Step } | undefined>;
}

/**
 * A catalog over a content directory; `reread` reads a lesson again on every use instead of
 * keeping it (an author's lesson changes under `handson dev`).
 *
 * @example
 * const catalog = lessonCatalog(contentDir(loadConfig()));
 * const found = await catalog.step('first-containers', 'run-detached');
 */
export function lessonCatalog(dir: string, opts: { reread?: boolean } = {}): LessonCatalog {
  const cache = new Map<string, Promise<LoadedLesson | undefined>>();
  const lesson = (id: string) => {
    // Only plain ids: a request must never name a folder outside the content directory.
    if (!/^[a-z0-9][a-z0-9-]*$/i.test(id)) return Promise.resolve(undefined);
    let found = cache.get(id);
    if (!found) {
      found = findLesson(id, dir, { relativeTo: path.dirname(path.dirname(dir)) }).catch(
        (error: unknown) => {
          cache.delete(id);
          if (error instanceof LessonError) return undefined;
          throw error;
        },
      );
      // `handson dev` reads the lesson afresh each time: its author is editing it.
      if (!opts.reread) cache.set(id, found);
    }
    return found;
  };
  return {
    lesson,
    async step(lessonId, stepId) {
      const loaded = await lesson(lessonId);
      const step = loaded?.spec.steps.find((s) => s.id === stepId);
      return loaded && step ? { lesson: loaded, step } : undefined;
    },
  };
}
