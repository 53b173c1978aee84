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

  it('maps every Chinese tag to Simplified Chinese (the one Chinese the course has)', () => {
    expect(pickLang(null, ['zh-CN', 'en'])).toBe('zh');
    expect(pickLang(null, ['zh-TW'])).toBe('zh');
    expect(pickLang(null, ['zh-Hant-HK', 'ja'])).toBe('zh');
    expect(pickLang(null, ['zh'])).toBe('zh');
    expect(pickLang('zh', ['ja-JP'])).toBe('zh');
  });

  it('defaults to English when nothing matches', () => {
    expect(pickLang(undefined, ['fr'])).toBe('en');
  });

  it('switches the language of the same page', () => {
    expect(switchLangPath('/ja/lessons/images/', 'en')).toBe('/en/lessons/images/');
    expect(switchLangPath('/en/', 'ja')).toBe('/ja/');
    expect(switchLangPath('/en', 'ja')).toBe('/ja/');
    expect(switchLangPath('/other', 'ja')).toBe('/ja/');
    expect(switchLangPath('/zh/lessons/images/', 'ja')).toBe('/ja/lessons/images/');
    expect(switchLangPath('/en/join/', 'zh')).toBe('/zh/join/');
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
