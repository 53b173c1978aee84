import type { ZodIssue } from 'zod';

/**
 * Friendly lesson errors: turn zod issues into lines a lesson author can act on, naming the
 * file, the step (by its id) and the field, e.g.
 * `content/lessons/02-first-containers/lesson.yaml:31: step "run-detached", checks[1].inspect.path: expected a string`.
 * Framework-free like the schema, so the site's build can print the same lines.
 */

type Path = readonly (string | number)[];

/** Where a path points in the source file (1-based line), if the caller knows. */
export type LineOf = (path: Path) => number | undefined;

/**
 * Render a field path: `checks[1].inspect.path`.
 *
 * @example
 * fieldPath(['checks', 1, 'inspect', 'path']) // 'checks[1].inspect.path'
 */
export function fieldPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

function describeType(type: string): string {
  if (type === 'array') return 'a list';
  if (type === 'object') return 'a mapping';
  if (type === 'integer') return 'a whole number';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** One issue's reason, in words. */
export function issueReason(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined')
        return `is required (expected ${describeType(issue.expected)})`;
      return `expected ${describeType(issue.expected)}, found ${describeType(issue.received)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_enum_value':
      return `expected one of ${issue.options.join(', ')}, found "${String(issue.received)}"`;
    case 'invalid_literal':
      return `expected ${JSON.stringify(issue.expected)}`;
    case 'too_small':
      if (issue.type === 'array') return `expected at least ${issue.minimum} item(s)`;
      if (issue.type === 'string') return 'must not be empty';
      return `expected at least ${issue.minimum}`;
    case 'too_big':
      return `expected at most ${issue.maximum}`;
    case 'invalid_union': {
      // Report the alternative that got furthest: the one whose shape matched.
      const matched = issue.unionErrors
        .map((err) => err.issues)
        .filter(
          (issues) =>
            !issues.some((i) => i.code === 'invalid_type' && i.path.length === issue.path.length),
        )
        .sort((a, b) => a.length - b.length)[0];
      if (matched?.[0]) return issueReason(matched[0]);
      return 'does not have any of the allowed forms';
    }
    default:
      return issue.message;
  }
}

/** The path of the issue that `issueReason` reports (unions report a nested issue). */
function issuePath(issue: ZodIssue): Path {
  if (issue.code !== 'invalid_union') return issue.path;
  const matched = issue.unionErrors
    .map((err) => err.issues)
    .filter(
      (issues) =>
        !issues.some((i) => i.code === 'invalid_type' && i.path.length === issue.path.length),
    )
    .sort((a, b) => a.length - b.length)[0];
  return matched?.[0] ? issuePath(matched[0]) : issue.path;
}

/**
 * Lines naming file, step and field for each issue.
 *
 * @example
 * formatLessonIssues('content/lessons/02-first-containers/lesson.yaml', rawYaml, error.issues)
 * // ['content/lessons/02-first-containers/lesson.yaml: step "run-detached", checks[1].inspect.path: expected a string, found a number']
 */
export function formatLessonIssues(
  file: string,
  raw: unknown,
  issues: readonly ZodIssue[],
  lineOf?: LineOf,
): string[] {
  return issues.map((issue) => {
    const path = issuePath(issue);
    const line = lineOf?.(path);
    const where = line === undefined ? file : `${file}:${line}`;
    let subject = fieldPath(path);
    if (path[0] === 'steps' && typeof path[1] === 'number') {
      const steps = (raw as { steps?: unknown } | null)?.steps;
      const step = Array.isArray(steps)
        ? (steps[path[1]] as { id?: unknown } | undefined)
        : undefined;
      const name = typeof step?.id === 'string' ? `step "${step.id}"` : `steps[${path[1]}]`;
      const inner = fieldPath(path.slice(2));
      subject = inner ? `${name}, ${inner}` : name;
    }
    const reason = issueReason(issue);
    if (issue.code === 'unrecognized_keys' && subject === '') return `${where}: ${reason}`;
    return subject === '' ? `${where}: ${reason}` : `${where}: ${subject}: ${reason}`;
  });
}
