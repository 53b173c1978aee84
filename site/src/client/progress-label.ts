import { type Lang, t } from './i18n.ts';

/**
 * How far a learner is through some steps (a lesson's, or a part's), as the course index says it.
 *
 * @example
 * progressLabel('en', 2, 10) // '2 of 10 steps done'
 * progressLabel('en', 0, 10) // 'Not started'
 */
export function progressLabel(lang: Lang, done: number, total: number): string {
  if (done === 0) return t(lang, 'index.notStarted');
  if (done >= total) return t(lang, 'index.completed');
  return t(lang, 'index.progress', { done, total });
}
