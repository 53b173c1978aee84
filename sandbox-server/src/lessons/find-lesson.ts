import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { lessonIdFromFolder } from '#contracts/lesson.ts';
import { LessonError, type LoadedLesson, type LoadOptions, loadLesson } from './load-lesson.ts';

/**
 * Resolve what a person typed (`first-containers`, `02-first-containers`, or a path to a lesson
 * folder anywhere) to a loaded lesson.
 *
 * @example
 * await findLesson('first-containers', 'content/lessons')
 * await findLesson('./drafts/my-lesson', 'content/lessons')
 */
export async function findLesson(
  ref: string,
  contentDir: string,
  opts: LoadOptions = {},
): Promise<LoadedLesson> {
  const asPath = path.resolve(ref);
  const isDir = await stat(path.join(asPath, 'lesson.yaml')).then(
    () => true,
    () => false,
  );
  if (isDir) return loadLesson(asPath, opts);
  const entries = await readdir(contentDir, { withFileTypes: true }).catch(() => []);
  const match = entries.find(
    (entry) =>
      entry.isDirectory() && (entry.name === ref || lessonIdFromFolder(entry.name) === ref),
  );
  if (!match) {
    const ids = entries.filter((e) => e.isDirectory()).map((e) => lessonIdFromFolder(e.name));
    throw new LessonError([
      `no lesson "${ref}": not a lesson folder, and not one of ${ids.join(', ') || '(no lessons)'} in ${contentDir}`,
    ]);
  }
  return loadLesson(path.join(contentDir, match.name), opts);
}
