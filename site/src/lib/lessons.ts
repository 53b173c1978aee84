import { getCollection } from 'astro:content';
import type { Lang } from '../client/i18n.ts';
import { type LessonData, type LessonView, toLessonView } from './lesson-view.ts';

/**
 * Every lesson of the course in one language, in course order.
 *
 * @example
 * const lessons = await loadLessons('ja');
 */
export async function loadLessons(lang: Lang): Promise<LessonView[]> {
  const entries = await getCollection('lessons');
  return entries
    .map((entry: { id: string; data: LessonData }) => toLessonView(entry.id, entry.data, lang))
    .sort((a: LessonView, b: LessonView) => a.order - b.order || a.folder.localeCompare(b.folder));
}
