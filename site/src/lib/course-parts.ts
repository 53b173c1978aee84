import { PARTS, type Part } from '#contracts/lesson-parts.ts';
import { type Lang, type MessageKey, t } from '../client/i18n.ts';
import type { LessonView } from './lesson-view.ts';

/** One part of the course index: its lessons, in course order. */
export interface CoursePart {
  /** The part's id; undefined for the lessons that name none (a draft). */
  part: Part | undefined;
  title: string;
  lessons: LessonView[];
}

/**
 * The course's lessons grouped into its parts, in the parts' order (PARTS), each part's lessons
 * in course order; parts without lessons are left out, and lessons without a part come last.
 *
 * @example
 * groupIntoParts(lessons, 'en').map((p) => p.title) // ['Basics', 'Images', …]
 */
export function groupIntoParts(lessons: readonly LessonView[], lang: Lang): CoursePart[] {
  const ordered = [...lessons].sort(
    (a, b) => a.order - b.order || a.folder.localeCompare(b.folder),
  );
  const groups: CoursePart[] = [...PARTS, undefined].map((part) => ({
    part,
    title: t(lang, part ? (`part.${part}` satisfies MessageKey) : 'part.other'),
    lessons: ordered.filter((lesson) => lesson.part === part),
  }));
  return groups.filter((group) => group.lessons.length > 0);
}
