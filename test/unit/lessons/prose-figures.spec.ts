import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lang } from '#contracts/lesson.ts';
import { loadCourse } from '../../../sandbox-server/src/lessons/load-lesson.ts';
import {
  figureName,
  figureProblems,
  proseFigures,
} from '../../../sandbox-server/src/lessons/prose-figures.ts';

const step = (id: string, body: string) => `<Step id="${id}">\nText.\n\n${body}\n</Step>\n`;

function problems(prose: Partial<Record<Lang, string>>, files: string[]): string[] {
  return figureProblems({ prose, files, fileOf: (lang) => `${lang}.mdx`, folder: 'figures' });
}

describe('figures in the prose', () => {
  it('finds each image with its step, alt text and line', () => {
    const mdx = `${step('a', 'No figure.')}${step('b', '![A bridge and two veth pairs](./figures/bridge.en.svg)')}`;
    expect(proseFigures(mdx)).toEqual([
      { step: 'b', src: './figures/bridge.en.svg', alt: 'A bridge and two veth pairs', line: 9 },
    ]);
  });

  it('names a figure without its language', () => {
    expect(figureName('./figures/bridge-nat.ja.svg')).toBe('bridge-nat');
    expect(figureName('figures/mounts.svg')).toBe('mounts');
    expect(figureName('../other/figures/x.svg')).toBeUndefined();
  });

  it('accepts the same figure in the same step of every language, each with its alt text', () => {
    expect(
      problems(
        {
          ja: step('a', '![ブリッジ](./figures/bridge.ja.svg)'),
          en: step('a', '![The bridge](./figures/bridge.en.svg)'),
          zh: step('a', '![网桥](./figures/bridge.zh.svg)'),
        },
        ['bridge.ja.svg', 'bridge.en.svg', 'bridge.zh.svg'],
      ),
    ).toEqual([]);
  });

  it('reports a figure without alt text, naming file, line and language', () => {
    expect(problems({ en: step('a', '![](./figures/x.svg)') }, ['x.svg'])).toEqual([
      'en.mdx:4: the image ./figures/x.svg needs alt text in en: ![what it shows](./figures/x.svg)',
    ]);
  });

  it('reports a missing file and a file no prose shows', () => {
    expect(problems({ en: step('a', '![Engine](./figures/engine.en.svg)') }, ['old.svg'])).toEqual([
      'en.mdx:4: ./figures/engine.en.svg: no such file in figures',
      'figures/old.svg: no prose shows this figure; remove it or show it',
    ]);
  });

  it("reports prose that shows another language's file", () => {
    expect(
      problems({ ja: step('a', '![図](./figures/engine.en.svg)') }, ['engine.en.svg'])[0],
    ).toContain('ja prose shows the en figure ./figures/engine.en.svg; use engine.ja.svg');
  });

  it('reports an image outside the figures folder', () => {
    expect(problems({ en: step('a', '![Logo](https://example.com/logo.svg)') }, [])[0]).toContain(
      "is not a file of the lesson's figures folder",
    );
  });

  it('reports languages that show different figures or show them in different steps', () => {
    const found = problems(
      {
        ja: `${step('a', '![図](./figures/x.svg)')}${step('b', 'なし')}`,
        en: `${step('a', 'None.')}${step('b', '![Figure](./figures/x.svg)')}`,
      },
      ['x.svg'],
    );
    expect(found).toEqual([
      'en.mdx: shows figures b: x, but ja.mdx shows a: x; every language shows the same figures in the same steps',
    ]);
  });
});

describe("the course's figures", () => {
  it('load with the course (every file exists, every language has alt text) and number at least seven', async () => {
    // loadCourse fails on any figure problem (figureProblems), naming file and line.
    const course = await loadCourse(path.resolve(import.meta.dirname, '../../../content/lessons'));
    let shown = 0;
    for (const lesson of course) {
      for (const [lang, mdx] of Object.entries(lesson.prose)) {
        const figures = proseFigures(mdx);
        for (const figure of figures) expect(figure.alt.length, lang).toBeGreaterThan(20);
        if (lang === 'en') shown += figures.length;
      }
    }
    // Issue 19: at least seven diagrams where a learner would rather look than read.
    expect(shown).toBeGreaterThanOrEqual(7);
  });
});
