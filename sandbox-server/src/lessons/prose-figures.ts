import type { Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mdxFromMarkdown } from 'mdast-util-mdx';
import type { MdxJsxAttribute, MdxJsxExpressionAttribute } from 'mdast-util-mdx-jsx';
import { gfm } from 'micromark-extension-gfm';
import { mdxjs } from 'micromark-extension-mdxjs';
import type { Lang } from '#contracts/lesson.ts';

/**
 * The figures of a lesson's prose: markdown images, `![alt](./figures/<name>.svg)`, whose files
 * live in the lesson's own `figures/` folder (the site's build copies them). A figure with words
 * in it has one file per language, `<name>.<lang>.svg`, and each language's prose names its own.
 * Every language shows the same figures in the same steps, each with its own alt text.
 */

export interface ProseFigure {
  /** The `<Step id>` around the image; undefined outside any step. */
  step: string | undefined;
  /** The image's address as written (`./figures/engine.en.svg`). */
  src: string;
  alt: string;
  /** Line in the MDX file, for messages. */
  line: number;
}

type MdxNode = Nodes & {
  name?: string | null;
  attributes?: (MdxJsxAttribute | MdxJsxExpressionAttribute)[];
  children?: MdxNode[];
};

/** `./figures/<name>[.<lang>].<ext>`: a file of the lesson's figures folder, nothing else. */
const FIGURE_SRC = /^(?:\.\/)?figures\/([a-z0-9][a-z0-9-]*?)(?:\.(ja|en|zh))?\.(svg|png|webp)$/;

/**
 * Every image of an MDX text, with the step it belongs to (empty when the MDX does not parse:
 * the Run parser reports that).
 *
 * @example
 * proseFigures('<Step id="a">\n![A bridge](./figures/bridge.en.svg)\n</Step>')
 * // [{ step: 'a', src: './figures/bridge.en.svg', alt: 'A bridge', line: 2 }]
 */
export function proseFigures(mdx: string): ProseFigure[] {
  // Parsing MDX is slow; most prose has no image at all.
  if (!mdx.includes('![')) return [];
  let tree: Root;
  try {
    tree = fromMarkdown(mdx, {
      extensions: [mdxjs(), gfm()],
      mdastExtensions: [mdxFromMarkdown(), gfmFromMarkdown()],
    });
  } catch {
    return [];
  }
  const figures: ProseFigure[] = [];
  const walk = (node: MdxNode, step: string | undefined) => {
    if (node.type === 'mdxJsxFlowElement' && node.name === 'Step') {
      const id = node.attributes?.find(
        (a): a is MdxJsxAttribute => a.type === 'mdxJsxAttribute' && a.name === 'id',
      )?.value;
      step = typeof id === 'string' ? id : undefined;
    }
    if (node.type === 'image') {
      const line = node.position?.start.line ?? 0;
      figures.push({ step, src: node.url, alt: node.alt ?? '', line });
    }
    for (const child of node.children ?? []) walk(child, step);
  };
  walk(tree as MdxNode, undefined);
  return figures;
}

/** A figure's file name without its language (`engine` for `./figures/engine.ja.svg`). */
export function figureName(src: string): string | undefined {
  return FIGURE_SRC.exec(src)?.[1];
}

export interface FigureCheckInput {
  /** The prose per language present. */
  prose: Partial<Record<Lang, string>>;
  /** The files in the lesson's `figures/` folder. */
  files: readonly string[];
  /** The MDX file of a language, as messages name it. */
  fileOf: (lang: Lang) => string;
  /** The figures folder, as messages name it. */
  folder: string;
}

/**
 * What is wrong with a lesson's figures: an image that is not in `figures/`, a missing file, an
 * empty alt, another language's file, languages that show different figures in a step, and
 * files no prose shows.
 *
 * @example
 * figureProblems({ prose: { en: '![](./figures/x.svg)' }, files: [], fileOf: (l) => `${l}.mdx`, folder: 'figures' })
 * // ['en.mdx:1: the image needs alt text …', 'en.mdx:1: ./figures/x.svg: no such file …']
 */
export function figureProblems(input: FigureCheckInput): string[] {
  const problems: string[] = [];
  const shown = new Set<string>();
  const byLang = new Map<Lang, string[]>();
  for (const [lang, mdx] of Object.entries(input.prose) as [Lang, string][]) {
    const where = (figure: ProseFigure) => `${input.fileOf(lang)}:${figure.line}`;
    const keys: string[] = [];
    for (const figure of proseFigures(mdx)) {
      const match = FIGURE_SRC.exec(figure.src);
      if (!match) {
        problems.push(
          `${where(figure)}: image "${figure.src}" is not a file of the lesson's figures folder; write ./figures/<name>.svg (or <name>.${lang}.svg when it has words)`,
        );
        continue;
      }
      const [, name, figureLang] = match;
      const file = figure.src.replace(/^\.\//, '').slice('figures/'.length);
      shown.add(file);
      if (figure.alt.trim() === '')
        problems.push(
          `${where(figure)}: the image ${figure.src} needs alt text in ${lang}: ![what it shows](${figure.src})`,
        );
      if (figureLang && figureLang !== lang)
        problems.push(
          `${where(figure)}: ${lang} prose shows the ${figureLang} figure ${figure.src}; use ${name}.${lang}.${match[3]}`,
        );
      if (!input.files.includes(file))
        problems.push(`${where(figure)}: ${figure.src}: no such file in ${input.folder}`);
      keys.push(`${figure.step ?? '(outside the steps)'}: ${name}`);
    }
    byLang.set(lang, keys);
  }
  const [first, ...others] = [...byLang.entries()];
  for (const [lang, keys] of others) {
    if (!first || keys.join('\n') === first[1].join('\n')) continue;
    problems.push(
      `${input.fileOf(lang)}: shows figures ${keys.join(', ') || 'none'}, but ${input.fileOf(first[0])} shows ${first[1].join(', ') || 'none'}; every language shows the same figures in the same steps`,
    );
  }
  for (const file of input.files) {
    if (!shown.has(file))
      problems.push(`${input.folder}/${file}: no prose shows this figure; remove it or show it`);
  }
  return problems;
}
