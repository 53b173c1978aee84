import { getCollection } from 'astro:content';
import { lessonSchema } from '#contracts/lesson.ts';
import { formatLessonIssues } from '#contracts/lesson-errors.ts';
import type { Lang } from '../client/i18n.ts';
import { type LessonView, toLessonView } from './lesson-view.ts';

/**
 * Every lesson of the course in one language, in course order. Each `lesson.yaml` is
 * validated by the lesson contract; a bad one fails the build naming file, step and field.
 *
 * @example
 * const lessons = await loadLessons('ja');
 */
export async function loadLessons(lang: Lang): Promise<LessonView[]> {
  const entries: { id: string; data: unknown; filePath?: string }[] =
    await getCollection('lessons');
  return entries
    .map((entry) => {
      const parsed = lessonSchema.safeParse(entry.data);
      if (!parsed.success) {
        const file = entry.filePath ?? `content/lessons/${entry.id}/lesson.yaml`;
        const lines = formatLessonIssues(file, entry.data, parsed.error.issues);
        throw new Error(`This lesson does not fit the lesson format:\n${lines.join('\n')}`);
      }
      return toLessonView(entry.id, parsed.data, lang);
    })
    .sort((a, b) => a.order - b.order || a.folder.localeCompare(b.folder));
}
