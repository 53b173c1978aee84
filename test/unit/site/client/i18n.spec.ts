import { describe, expect, it } from 'vitest';
import { dictionary, isLang, LANGS, messageKeys, t } from '../../../../site/src/client/i18n.ts';

describe('i18n', () => {
  it('has every UI string in both languages, none empty', () => {
    for (const lang of LANGS) {
      for (const key of messageKeys()) {
        expect(dictionary(lang)[key], `${lang}: ${key}`).toMatch(/\S/);
      }
    }
  });

  it('uses the same placeholders in Japanese and English', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of messageKeys()) {
      expect(names(dictionary('ja')[key]), key).toEqual(names(dictionary('en')[key]));
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('en', 'lesson.stepOf', { n: 2, total: 5 })).toBe('Step 2 of 5');
    expect(t('ja', 'lesson.stepOf', { n: 2, total: 5 })).toBe('ステップ 2 / 5');
    expect(t('en', 'lesson.stepOf', { n: 2 })).toBe('Step 2 of {total}');
  });

  it('knows which languages exist', () => {
    expect(isLang('ja')).toBe(true);
    expect(isLang('de')).toBe(false);
    expect(isLang(undefined)).toBe(false);
  });
});
