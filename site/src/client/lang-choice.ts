import { isLang, LANGS, type Lang, langOfTag } from './i18n.ts';

/** localStorage key of the learner's language choice (also sent as a cookie for the server's `/`). */
export const LANG_KEY = 'handson.lang';

/**
 * The language to show: the learner's remembered choice first, then the first of the
 * browser's preferred languages we have, then English.
 *
 * @example
 * pickLang(null, ['ja-JP', 'en-US']) // 'ja'
 * pickLang('en', ['ja-JP'])          // 'en'
 * pickLang(null, ['zh-TW', 'en'])     // 'zh' (every zh-* is Simplified Chinese for now)
 */
export function pickLang(
  remembered: string | null | undefined,
  preferred: readonly string[],
): Lang {
  if (isLang(remembered)) return remembered;
  for (const tag of preferred) {
    const lang = langOfTag(tag);
    if (lang) return lang;
  }
  return 'en';
}

/**
 * The same path in another language: `/ja/lessons/x/` → `/en/lessons/x/`.
 *
 * @example
 * switchLangPath('/ja/lessons/images/', 'en') // '/en/lessons/images/'
 */
export function switchLangPath(pathname: string, lang: Lang): string {
  const match = new RegExp(`^/(${LANGS.join('|')})(/.*)?$`).exec(pathname);
  if (!match) return `/${lang}/`;
  return `/${lang}${match[2] ?? '/'}`;
}

/** Remember the choice (read by `/` and the next visit). */
export function rememberLang(lang: Lang, storage: Storage = localStorage): void {
  try {
    storage.setItem(LANG_KEY, lang);
  } catch {
    // Private mode may refuse storage; the URL still carries the language.
  }
}
