import { LANGS, type Lang } from '../../contracts/lesson.ts';
import type { LoadedLesson } from '../../lessons/load-lesson.ts';
import { proseRuns } from '../../lessons/run-commands.ts';
import type { BrowserPlan } from './browser-lesson.ts';

/**
 * The browser entries for a lesson: one per language it has prose in (every language the
 * lesson declares, or those asked for), each opened on its own page.
 *
 * @example
 * planBrowser(lesson, {}).map((p) => p.lang) // ['ja', 'en']
 */
export function planBrowser(
  lesson: LoadedLesson,
  opts: { langs?: readonly Lang[]; untilStep?: string },
): BrowserPlan[] {
  const has = LANGS.filter((lang) => lesson.prose[lang] !== undefined);
  return (opts.langs ?? has).map((lang): BrowserPlan => {
    const mdx = lesson.prose[lang];
    if (mdx === undefined) {
      return {
        lesson,
        lang,
        runs: new Map(),
        untilStep: opts.untilStep,
        problems: [`there is no ${lang}.mdx in ${lesson.dir}`],
      };
    }
    const parsed = proseRuns(mdx);
    return {
      lesson,
      lang,
      runs: parsed.steps,
      untilStep: opts.untilStep,
      problems: parsed.problems.map((p) => `${lang}.mdx ${p}`),
    };
  });
}

/** How a browser entry is named in titles: `first-containers (browser ja)`. */
export function browserLabel(plan: Pick<BrowserPlan, 'lesson' | 'lang'>): string {
  return `${plan.lesson.id} (browser ${plan.lang})`;
}
