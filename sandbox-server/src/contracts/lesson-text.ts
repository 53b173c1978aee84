import { z } from 'zod';

/**
 * The lesson format's building blocks shared by steps and checks: languages, text per language,
 * regular expressions and durations. Framework-free, like every contract.
 */

import { isLang, LANGS, type Lang } from './lang.ts';

export { isLang, LANGS, type Lang };

/** Text keyed by language; a draft may carry only some languages, the course needs all. */
export function localized<T extends z.ZodTypeAny>(inner: T) {
  return z
    .object({ ja: inner.optional(), en: inner.optional(), zh: inner.optional() })
    .strict()
    .refine((value) => LANGS.some((lang) => value[lang] !== undefined), {
      message: `expected text in at least one language (${LANGS.join(', ')})`,
    });
}

export const localizedText = localized(z.string().min(1)).describe(
  'Text per language, e.g. {ja: コンテナ, en: Containers}.',
);
export type LocalizedText = Partial<Record<Lang, string>>;

/** A JavaScript regular expression, checked to compile when the lesson is loaded. */
export const regexSource = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    try {
      new RegExp(source);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      ctx.addIssue({ code: 'custom', message: `not a valid regular expression (${reason})` });
    }
  })
  .describe('A JavaScript regular expression (unanchored).');

/** A duration in seconds, as lesson authors write timeouts. */
export const seconds = z.number().positive().max(600);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Pick the text for a language, falling back to English, then Japanese (the languages every
 * course lesson has), then whatever a draft has.
 *
 * @example
 * pickLang({ ja: 'こんにちは' }, 'en') // 'こんにちは'
 * pickLang({ ja: 'こんにちは', en: 'Hello' }, 'zh') // 'Hello'
 */
export function pickLang<T>(value: Partial<Record<Lang, T>>, lang: Lang): T | undefined {
  return value[lang] ?? value.en ?? value.ja ?? value.zh;
}
