/**
 * The languages of the course: the one definition that the lesson schema, the server and the
 * site share. Kept in a file of its own so the browser can import it without the lesson schema.
 */
export const LANGS = ['ja', 'en', 'zh'] as const;
export type Lang = (typeof LANGS)[number];

/**
 * Whether `value` is one of the course's languages.
 *
 * @example
 * isLang('ja') // true
 * isLang('fr') // false
 */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/**
 * `value` if it is one of the course's languages, else `fallback` (a stored or sent language
 * from before a language was added or removed).
 *
 * @example
 * langOr('ja') // 'ja'
 * langOr('fr') // 'en'
 */
export function langOr(value: unknown, fallback: Lang = 'en'): Lang {
  return isLang(value) ? value : fallback;
}
