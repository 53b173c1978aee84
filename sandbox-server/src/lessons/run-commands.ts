import type { Program } from 'estree';
import type { Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mdxFromMarkdown } from 'mdast-util-mdx';
import type { MdxJsxAttribute, MdxJsxExpressionAttribute } from 'mdast-util-mdx-jsx';
import { gfm } from 'micromark-extension-gfm';
import { mdxjs } from 'micromark-extension-mdxjs';

/**
 * The `<Run>`s of a lesson's prose, step by step, as the page shows them: what a click types
 * (the `cmd` attribute, or the children's text with `{"…"}` / `` {`…`} `` strings evaluated and
 * markdown dropped, exactly as the rendered page reads it) and the attributes of interactive
 * steps. Parsed the way the site parses it (MDX + GFM, no smart quotes), so verify types what
 * the learner's click types.
 *
 * The interactive attributes (the lesson format, see content/AUTHORING.md):
 * - `keys="C-p C-q"`: keys to press (tmux names), shown as keys; no command.
 * - `expect="regex"`: the command starts (or talks to) an interactive program; verify waits
 *   for the regex on the screen instead of the shell's prompt.
 * - `timeout={30}`: seconds to wait for `expect`, or for a plain command to finish.
 * - `fails`: the command is meant to exit non-zero (a refused push, say).
 * - `localized`: the text differs between languages on purpose (parity compares position only).
 */

export interface ProseRun {
  /** Text typed followed by Enter; undefined for a keys-only Run. */
  command?: string;
  /** tmux-style key names pressed (after the command, if there is one). */
  keys?: string;
  /** Regex the screen shows once the program is ready for the next Run. */
  expect?: string;
  /** Seconds to wait for `expect`, or for the command to finish (default: verify's command timeout). */
  timeoutS?: number;
  fails: boolean;
  localized: boolean;
  /** Line in the MDX file, for messages. */
  line: number;
}

export interface ProseRuns {
  /** Runs per step id, in page order. */
  steps: Map<string, ProseRun[]>;
  /** Runs that cannot be typed: `line 12: <Run> has neither text nor keys`. */
  problems: string[];
}

type MdxNode = Nodes & {
  name?: string | null;
  attributes?: (MdxJsxAttribute | MdxJsxExpressionAttribute)[];
  data?: { estree?: Program | null };
  value?: string;
  children?: MdxNode[];
};

class RunSyntaxError extends Error {}

/** The value of a `{"…"}`, `` {`…`} `` or `{30}` expression: literals only, never code. */
function literal(estree: Program | null | undefined, source: string): string | number {
  const statement = estree?.body[0];
  const expression = statement?.type === 'ExpressionStatement' ? statement.expression : undefined;
  if (expression?.type === 'Literal' && typeof expression.value === 'string')
    return expression.value;
  if (expression?.type === 'Literal' && typeof expression.value === 'number')
    return expression.value;
  if (expression?.type === 'TemplateLiteral' && expression.expressions.length === 0)
    return expression.quasis.map((q) => q.value.cooked ?? '').join('');
  throw new RunSyntaxError(
    `{${source}} is not a string: write commands as {"…"} or {\`…\`} so the page and verify agree`,
  );
}

/** The text the rendered page shows for these nodes (tags dropped, strings evaluated). */
function textOf(node: MdxNode): string {
  if (node.type === 'mdxTextExpression' || node.type === 'mdxFlowExpression') {
    return String(literal(node.data?.estree, node.value ?? ''));
  }
  if (node.type === 'break') return '\n';
  if (typeof node.value === 'string' && node.type !== 'html') return node.value;
  return (node.children ?? []).map(textOf).join('');
}

function attribute(node: MdxNode, name: string): string | number | boolean | undefined {
  const attr = node.attributes?.find(
    (a): a is MdxJsxAttribute => a.type === 'mdxJsxAttribute' && a.name === name,
  );
  if (!attr) return undefined;
  if (attr.value === null || attr.value === undefined) return true;
  if (typeof attr.value === 'string') return attr.value;
  return literal(attr.value.data?.estree as Program | undefined, attr.value.value);
}

function stringAttribute(node: MdxNode, name: string): string | undefined {
  const value = attribute(node, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw new RunSyntaxError(`${name}= needs text, as in ${name}="…"`);
  return value;
}

function toRun(node: MdxNode): ProseRun {
  const line = node.position?.start.line ?? 0;
  const fromChildren = (node.children ?? []).map(textOf).join('').trim();
  const command = (stringAttribute(node, 'cmd') ?? fromChildren).trim() || undefined;
  const keys = stringAttribute(node, 'keys');
  const expect = stringAttribute(node, 'expect');
  const timeout = attribute(node, 'timeout');
  if (command === undefined && keys === undefined)
    throw new RunSyntaxError('<Run> has neither a command nor keys="…"');
  if (timeout !== undefined && (typeof timeout !== 'number' || timeout <= 0))
    throw new RunSyntaxError('timeout= needs a number of seconds, as in timeout={30}');
  if (expect !== undefined) {
    try {
      new RegExp(expect);
    } catch (error) {
      throw new RunSyntaxError(`expect="${expect}" is not a valid regular expression (${error})`);
    }
  }
  return {
    command,
    keys,
    expect,
    timeoutS: typeof timeout === 'number' ? timeout : undefined,
    fails: attribute(node, 'fails') === true,
    localized: attribute(node, 'localized') === true,
    line,
  };
}

const isElement = (node: MdxNode, name: string) =>
  (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && node.name === name;

/**
 * Every `<Run>` of an MDX text, grouped by the `<Step id="…">` around it.
 *
 * @example
 * const { steps } = proseRuns('<Step id="a">\n<Run>docker ps</Run>\n</Step>');
 * steps.get('a') // [{ command: 'docker ps', fails: false, localized: false, line: 2 }]
 */
export function proseRuns(mdx: string): ProseRuns {
  const steps = new Map<string, ProseRun[]>();
  const problems: string[] = [];
  let tree: Root;
  try {
    tree = fromMarkdown(mdx, {
      extensions: [mdxjs(), gfm()],
      mdastExtensions: [mdxFromMarkdown(), gfmFromMarkdown()],
    });
  } catch (error) {
    return { steps, problems: [`the MDX does not parse: ${(error as Error).message}`] };
  }
  const walk = (node: MdxNode, step: string | undefined) => {
    if (isElement(node, 'Step')) {
      const id = attribute(node, 'id');
      step = typeof id === 'string' ? id : undefined;
      if (step !== undefined && !steps.has(step)) steps.set(step, []);
    }
    if (isElement(node, 'Run')) {
      const line = node.position?.start.line ?? 0;
      try {
        const run = toRun(node);
        if (step === undefined) problems.push(`line ${line}: <Run> outside any <Step>`);
        else steps.get(step)!.push(run);
      } catch (error) {
        if (!(error instanceof RunSyntaxError)) throw error;
        problems.push(`line ${line}${step ? ` (step "${step}")` : ''}: ${error.message}`);
      }
      return;
    }
    for (const child of node.children ?? []) walk(child, step);
  };
  walk(tree as MdxNode, undefined);
  return { steps, problems };
}
