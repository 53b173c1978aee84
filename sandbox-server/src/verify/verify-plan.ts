import { LANGS, type Lang } from '../contracts/lesson.ts';
import type { LoadedLesson } from '../lessons/load-lesson.ts';
import { parityProblems, replayKey } from '../lessons/prose-parity.ts';
import { type ProseRun, proseRuns } from '../lessons/run-commands.ts';

/**
 * What `handson verify` replays for a lesson: the solution path once, and the prose path once
 * per distinct replay — languages whose `<Run>`s are identical type the same bytes, so they
 * share one sandbox and are reported once each.
 */

export type VerifyPath = 'solution' | 'prose';
export const VERIFY_PATHS: readonly VerifyPath[] = ['solution', 'prose'];

export interface VerifyPlan {
  lesson: LoadedLesson;
  path: VerifyPath;
  /** The languages this replay stands for (empty on the solution path). */
  langs: Lang[];
  /** Runs per step (prose path). */
  runs?: ReadonlyMap<string, readonly ProseRun[]>;
  /** Steps up to and including this one (`--step`); undefined = every step. */
  untilStep?: string;
  /** Found before replaying (unparsable Runs, languages that differ); they fail the entry. */
  problems: string[];
}

export interface PlanOptions {
  paths: readonly VerifyPath[];
  /** Languages to verify on the prose path; undefined = every language the lesson has. */
  langs?: readonly Lang[];
  untilStep?: string;
}

/**
 * The replays for one lesson, in report order (solution first, then prose by language).
 *
 * @example
 * planLesson(lesson, { paths: ['solution', 'prose'] }).map((p) => [p.path, p.langs])
 * // [['solution', []], ['prose', ['ja', 'en']]]
 */
export function planLesson(lesson: LoadedLesson, opts: PlanOptions): VerifyPlan[] {
  const base = { lesson, untilStep: opts.untilStep };
  const plans: VerifyPlan[] = [];
  if (opts.paths.includes('solution'))
    plans.push({ ...base, path: 'solution', langs: [], problems: [] });
  if (!opts.paths.includes('prose')) return plans;
  const has = LANGS.filter((lang) => lesson.prose[lang] !== undefined);
  const wanted = opts.langs ?? has;
  const byLang: Partial<Record<Lang, ReadonlyMap<string, readonly ProseRun[]>>> = {};
  const syntax: Partial<Record<Lang, string[]>> = {};
  for (const lang of wanted) {
    const mdx = lesson.prose[lang];
    if (mdx === undefined) {
      plans.push({
        ...base,
        path: 'prose',
        langs: [lang],
        problems: [`there is no ${lang}.mdx in ${lesson.dir}`],
      });
      continue;
    }
    const parsed = proseRuns(mdx);
    byLang[lang] = parsed.steps;
    syntax[lang] = parsed.problems.map((p) => `${lang}.mdx ${p}`);
  }
  const stepIds = lesson.spec.steps.map((step) => step.id);
  const parity = parityProblems(stepIds, byLang).map((p) => `languages differ: ${p}`);
  const groups = new Map<string, Lang[]>();
  for (const lang of Object.keys(byLang) as Lang[]) {
    const key = replayKey(byLang[lang]!);
    groups.set(key, [...(groups.get(key) ?? []), lang]);
  }
  for (const langs of groups.values()) {
    plans.push({
      ...base,
      path: 'prose',
      langs,
      runs: byLang[langs[0]!],
      problems: [...langs.flatMap((lang) => syntax[lang] ?? []), ...parity],
    });
  }
  return plans;
}

/** The steps a plan replays (all of them, or up to `untilStep`). */
export function plannedSteps(
  plan: Pick<VerifyPlan, 'lesson' | 'untilStep'>,
): LoadedLesson['spec']['steps'] {
  const steps = plan.lesson.spec.steps;
  if (plan.untilStep === undefined) return steps;
  const index = steps.findIndex((step) => step.id === plan.untilStep);
  return index === -1 ? steps : steps.slice(0, index + 1);
}

/** How a plan is named in titles and messages: `first-containers (prose ja, en)`. */
export function planLabel(plan: VerifyPlan): string {
  return plan.path === 'solution'
    ? `${plan.lesson.id} (solution)`
    : `${plan.lesson.id} (prose ${plan.langs.join(', ')})`;
}
