import { LineCounter, parseDocument } from 'yaml';

/**
 * A YAML file parsed with its positions kept, so errors about a field can name the line the
 * author wrote it on.
 */
export interface YamlSource {
  data: unknown;
  /** Syntax errors, already formatted as `file:line: reason`. */
  errors: string[];
  /** The 1-based line of the deepest node on `path` that exists. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

/**
 * Parse YAML text, keeping line numbers.
 *
 * @example
 * const src = parseYamlSource('order: 1\n', 'lesson.yaml');
 * src.lineOf(['order']) // 1
 */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const errors = doc.errors.map((error) => {
    const line = lineCounter.linePos(error.pos[0]).line;
    return `${file}:${line}: YAML syntax error: ${error.message.split('\n')[0]}`;
  });
  return {
    data: errors.length === 0 ? doc.toJS() : undefined,
    errors,
    lineOf(path) {
      // Walk up until a node exists: a missing field is reported at its parent.
      for (let depth = path.length; depth >= 0; depth -= 1) {
        const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
        const range = (node as { range?: [number, number, number] } | undefined)?.range;
        if (range) return lineCounter.linePos(range[0]).line;
      }
      return undefined;
    },
  };
}
