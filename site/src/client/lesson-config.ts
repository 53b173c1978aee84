import type { LessonView } from '../lib/lesson-view.ts';
import type { Lang } from './i18n.ts';

/** What the lesson page hands its script (as JSON in `data-lesson-page`). */
export interface LessonPageConfig {
  lang: Lang;
  lesson: LessonView;
}

/** Read the config the page rendered into `root`. */
export function readLessonConfig(root: HTMLElement): LessonPageConfig {
  return JSON.parse(root.dataset.lessonPage ?? '{}') as LessonPageConfig;
}
