import type { Lang } from '../contracts/lesson.ts';
import type { ProseRun } from './run-commands.ts';

/**
 * ja/en parity: every language's prose must have each step do the same thing — the same
 * `<Run>`s in the same order with the same attributes (a step's files live once, in
 * lesson.yaml, so they cannot differ). A Run marked `localized` may differ in its text (a
 * greeting in the learner's language), never in its place or its attributes.
 */

/** What a Run does, as compared across languages (its line is left out). */
export function runSignature(run: ProseRun, compareText = !run.localized): string {
  const parts = [
    compareText ? `type ${JSON.stringify(run.command ?? null)}` : 'type (localized)',
    run.keys ? `keys ${run.keys}` : '',
    run.expect ? `expect /${run.expect}/` : '',
    run.timeoutS ? `timeout ${run.timeoutS}` : '',
    run.fails ? 'fails' : '',
    run.localized ? 'localized' : '',
  ];
  return parts.filter(Boolean).join(', ');
}

/** A Run as a person reads it in a message. */
export function describeRun(run: ProseRun): string {
  const typed = run.command !== undefined ? `\`${run.command}\`` : '';
  const keys = run.keys ? `keys ${run.keys}` : '';
  return [typed, keys].filter(Boolean).join(' then ');
}

/**
 * The same replay, whatever the language: languages whose Runs are equal (text included) type
 * exactly the same bytes, so verify replays them once.
 *
 * @example
 * replayKey(new Map([['a', [run]]])) === replayKey(otherLanguagesRuns)
 */
export function replayKey(steps: ReadonlyMap<string, readonly ProseRun[]>): string {
  return JSON.stringify(
    [...steps].map(([id, runs]) => [id, runs.map((run) => runSignature(run, true))]),
  );
}

function stepDifferences(
  stepId: string,
  base: { lang: Lang; runs: readonly ProseRun[] },
  other: { lang: Lang; runs: readonly ProseRun[] },
): string[] {
  const sig = (run: ProseRun) => runSignature(run);
  const a = base.runs.map(sig);
  const b = other.runs.map(sig);
  if (a.join('\n') === b.join('\n')) return [];
  const where = `step "${stepId}"`;
  if (a.length !== b.length) {
    const missing = base.runs.filter((run) => !b.includes(sig(run)));
    const extra = other.runs.filter((run) => !a.includes(sig(run)));
    const parts = [`${base.lang} has ${a.length} <Run>(s), ${other.lang} has ${b.length}`];
    if (missing.length > 0)
      parts.push(
        `${other.lang} misses ${missing.map((r) => `${describeRun(r)} (${base.lang}.mdx line ${r.line})`).join(', ')}`,
      );
    if (extra.length > 0)
      parts.push(
        `${other.lang} adds ${extra.map((r) => `${describeRun(r)} (${other.lang}.mdx line ${r.line})`).join(', ')}`,
      );
    return [`${where}: ${parts.join('; ')}`];
  }
  const problems: string[] = [];
  a.forEach((signature, index) => {
    if (signature === b[index]) return;
    const x = base.runs[index]!;
    const y = other.runs[index]!;
    problems.push(
      `${where}: <Run> ${index + 1} differs: ${base.lang}.mdx line ${x.line} has ${runSignature(x)}; ${other.lang}.mdx line ${y.line} has ${runSignature(y)} (mark both \`localized\` if only the text is meant to differ)`,
    );
  });
  return problems;
}

/**
 * Where the languages' prose does not do the same thing, step by step (empty when they agree).
 * The first language is the reference each other language is compared with.
 *
 * @example
 * parityProblems(['a'], { ja: jaRuns, en: enRuns })
 * // ['step "a": ja has 2 <Run>(s), en has 1; en misses `docker ps -a` (ja.mdx line 12)']
 */
export function parityProblems(
  stepIds: readonly string[],
  byLang: Partial<Record<Lang, ReadonlyMap<string, readonly ProseRun[]>>>,
): string[] {
  const langs = (Object.keys(byLang) as Lang[]).filter((lang) => byLang[lang] !== undefined);
  const [first, ...others] = langs;
  if (first === undefined) return [];
  const problems: string[] = [];
  for (const stepId of stepIds) {
    const base = { lang: first, runs: byLang[first]!.get(stepId) ?? [] };
    for (const lang of others) {
      const other = { lang, runs: byLang[lang]!.get(stepId) ?? [] };
      problems.push(...stepDifferences(stepId, base, other));
    }
  }
  return problems;
}
