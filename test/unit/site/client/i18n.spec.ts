import { describe, expect, it } from 'vitest';
import {
  dictionary,
  htmlLang,
  isLang,
  LANGS,
  langOfTag,
  messageKeys,
  t,
} from '../../../../site/src/client/i18n.ts';

describe('i18n', () => {
  it('has every UI string in every language, none empty', () => {
    for (const lang of LANGS) {
      for (const key of messageKeys()) {
        expect(dictionary(lang)[key], `${lang}: ${key}`).toMatch(/\S/);
      }
    }
  });

  it('uses the same placeholders in every language', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of messageKeys()) {
      expect(names(dictionary('ja')[key]), key).toEqual(names(dictionary('en')[key]));
      expect(names(dictionary('zh')[key]), key).toEqual(names(dictionary('en')[key]));
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('en', 'lesson.stepOf', { n: 2, total: 5 })).toBe('Step 2 of 5');
    expect(t('ja', 'lesson.stepOf', { n: 2, total: 5 })).toBe('ステップ 2 / 5');
    expect(t('zh', 'lesson.stepOf', { n: 2, total: 5 })).toBe('第 2 步，共 5 步');
    expect(t('en', 'lesson.stepOf', { n: 2 })).toBe('Step 2 of {total}');
  });

  it('knows which languages exist', () => {
    expect(isLang('ja')).toBe(true);
    expect(isLang('de')).toBe(false);
    expect(isLang(undefined)).toBe(false);
  });

  it('tags Chinese pages zh-Hans and reads any zh-* tag back as zh', () => {
    expect(htmlLang('zh')).toBe('zh-Hans');
    expect(htmlLang('ja')).toBe('ja');
    expect(langOfTag('zh-Hans')).toBe('zh');
    expect(langOfTag('zh_CN')).toBe('zh');
    expect(langOfTag('ja-JP')).toBe('ja');
    expect(langOfTag('fr')).toBeUndefined();
  });
});
