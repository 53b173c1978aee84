import { describe, expect, it } from 'vitest';
import {
  LANG_KEY,
  pickLang,
  rememberLang,
  switchLangPath,
} from '../../../../site/src/client/lang-choice.ts';

describe('language choice', () => {
  it('prefers the remembered choice over the browser languages', () => {
    expect(pickLang('en', ['ja-JP'])).toBe('en');
  });

  it('falls back to the first browser language the course has (Accept-Language order)', () => {
    expect(pickLang(null, ['de-DE', 'ja-JP', 'en-US'])).toBe('ja');
    expect(pickLang('xx', ['EN-gb'])).toBe('en');
  });

  it('defaults to English when nothing matches', () => {
    expect(pickLang(undefined, ['fr'])).toBe('en');
  });

  it('switches the language of the same page', () => {
    expect(switchLangPath('/ja/lessons/images/', 'en')).toBe('/en/lessons/images/');
    expect(switchLangPath('/en/', 'ja')).toBe('/ja/');
    expect(switchLangPath('/en', 'ja')).toBe('/ja/');
    expect(switchLangPath('/other', 'ja')).toBe('/ja/');
  });

  it('remembers the choice in storage', () => {
    const map = new Map<string, string>();
    const storage = {
      setItem: (k: string, v: string) => map.set(k, v),
      getItem: (k: string) => map.get(k) ?? null,
    } as unknown as Storage;
    rememberLang('ja', storage);
    expect(map.get(LANG_KEY)).toBe('ja');
  });
});
