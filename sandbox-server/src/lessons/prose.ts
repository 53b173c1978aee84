/**
 * The `<Step id="…">` sections of a lesson's prose, and whether they match the spec's steps.
 */

const STEP_TAG = /<Step\b[^>]*?\bid\s*=\s*(?:"([^"]*)"|'([^']*)'|\{\s*["']([^"']*)["']\s*\})/g;

/**
 * Step ids in the order the prose has them.
 *
 * @example
 * proseStepIds('<Step id="a">…</Step>\n<Step id="b">…</Step>') // ['a', 'b']
 */
export function proseStepIds(mdx: string): string[] {
  const ids: string[] = [];
  for (const match of mdx.matchAll(STEP_TAG)) ids.push(match[1] ?? match[2] ?? match[3] ?? '');
  return ids;
}

/**
 * What is wrong with the prose's step ids compared with the spec's (empty when they match
 * exactly, in order).
 *
 * @example
 * compareStepIds(['a', 'b'], ['b', 'a'])
 * // ['<Step> sections are out of order: expected a, b, found b, a']
 */
export function compareStepIds(expected: readonly string[], found: readonly string[]): string[] {
  const problems: string[] = [];
  const missing = expected.filter((id) => !found.includes(id));
  const extra = found.filter((id) => !expected.includes(id));
  const dupes = found.filter((id, index) => found.indexOf(id) !== index);
  if (missing.length > 0) {
    problems.push(`no <Step id="…"> section for step ${missing.map((id) => `"${id}"`).join(', ')}`);
  }
  if (extra.length > 0) {
    problems.push(
      `<Step> section ${extra.map((id) => `"${id}"`).join(', ')} is not a step of lesson.yaml (its steps: ${expected.join(', ')})`,
    );
  }
  if (dupes.length > 0) {
    problems.push(
      `<Step> section ${[...new Set(dupes)].map((id) => `"${id}"`).join(', ')} appears twice`,
    );
  }
  if (problems.length === 0 && expected.join('\n') !== found.join('\n')) {
    problems.push(
      `<Step> sections are out of order: expected ${expected.join(', ')}, found ${found.join(', ')}`,
    );
  }
  return problems;
}
