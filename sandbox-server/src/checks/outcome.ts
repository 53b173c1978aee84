import type { Lang } from '../contracts/lesson.ts';

/**
 * What one evaluation of a check found, said in every language the course has: the runner
 * picks the learner's. Writing the sentences side by side keeps them in step.
 */
export interface Outcome {
  passed: boolean;
  message: Record<Lang, string>;
  /**
   * true when the check could not look (the engine broke, hung or flooded): the message says
   * that, and a lesson's own failure message, written about the learner's work, does not
   * replace it.
   */
  inconclusive?: boolean;
}

/**
 * A passing outcome.
 *
 * @example
 * pass('container `web` is running', 'コンテナ `web` は実行中です', '容器 `web` 正在运行')
 */
export function pass(en: string, ja: string, zh: string): Outcome {
  return { passed: true, message: { en, ja, zh } };
}

/**
 * A failing outcome.
 *
 * @example
 * fail('there is no container named `web`', '`web` という名前のコンテナがありません', '没有名为 `web` 的容器')
 */
export function fail(en: string, ja: string, zh: string): Outcome {
  return { passed: false, message: { en, ja, zh } };
}

/** Fold several outcomes about one check: the first failure, else the passes joined. */
export function combine(outcomes: Outcome[]): Outcome {
  const failed = outcomes.find((o) => !o.passed);
  if (failed) return failed;
  return {
    passed: true,
    message: {
      en: outcomes.map((o) => o.message.en).join('; '),
      ja: outcomes.map((o) => o.message.ja).join('。'),
      zh: outcomes.map((o) => o.message.zh).join('；'),
    },
  };
}

/** Shorten what was found for a message: one line, at most `max` characters. */
export function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
