import type { Lang } from '../contracts/lesson.ts';
import type { VerifyPath } from './verify-plan.ts';

/**
 * What `handson verify` reports. The JSON shape is a public contract (ARCHITECTURE.md, README):
 * `{lessons:[{id, path, lang, steps:[{id, before:{passed}, after:{passed}, ms, mistakes?:
 * {tried, refused}}]}], passed, failed}`, one entry per lesson and path, and on the prose path one per language (`lang` is
 * null on the solution path). `before.passed` is true when any check already passed before the
 * step's commands (each must fail); `after.passed` when every check passed after them (on the
 * prose path also: every Run ran as the prose says).
 */

export interface StepReport {
  id: string;
  before: { passed: boolean };
  after: { passed: boolean };
  ms: number;
  /** Only for a step with `mistakes:`, on the solution path: how many its checks refused. */
  mistakes?: { tried: number; refused: number };
}

/** The replay paths, and `browser`: the built page in chromium (`--browser`). */
export type ReportPath = VerifyPath | 'browser';

export interface LessonReport {
  id: string;
  path: ReportPath;
  /** The prose's language; null on the solution path, which does not depend on language. */
  lang: Lang | null;
  steps: StepReport[];
}

export interface VerifyReport {
  lessons: LessonReport[];
  /** Entries (lesson × path × language) that verified. */
  passed: number;
  /** Entries that did not. */
  failed: number;
}

/** A lesson run's full result: the report plus the reasons, for people. */
export interface LessonOutcome extends LessonReport {
  passed: boolean;
  /** Each problem names the step: `step "logs": after the solution, check 2 fails: …`. */
  problems: string[];
}

/** Whether one step verified (and its checks refused every mistake tried). */
export function stepOk(step: StepReport): boolean {
  const refusedAll = !step.mistakes || step.mistakes.refused === step.mistakes.tried;
  return !step.before.passed && step.after.passed && refusedAll;
}

/**
 * The JSON report, exactly the contract's fields.
 *
 * @example
 * JSON.stringify(toJsonReport(outcomes))
 */
export function toJsonReport(outcomes: readonly LessonOutcome[]): VerifyReport {
  return {
    lessons: outcomes.map((lesson) => ({
      id: lesson.id,
      path: lesson.path,
      lang: lesson.lang,
      steps: lesson.steps.map((s) => ({
        id: s.id,
        before: { passed: s.before.passed },
        after: { passed: s.after.passed },
        ms: s.ms,
        ...(s.mistakes && { mistakes: { tried: s.mistakes.tried, refused: s.mistakes.refused } }),
      })),
    })),
    passed: outcomes.filter((o) => o.passed).length,
    failed: outcomes.filter((o) => !o.passed).length,
  };
}

/** How an entry is named for people: `first-containers`, `first-containers (prose ja)`. */
export function outcomeLabel(outcome: Pick<LessonReport, 'id' | 'path' | 'lang'>): string {
  if (outcome.path === 'solution') return outcome.id;
  return `${outcome.id} (${outcome.path} ${outcome.lang})`;
}

/**
 * A plain-text summary table, one row per step, then the problems.
 *
 * @example
 * process.stdout.write(summaryTable(outcomes));
 */
export function summaryTable(outcomes: readonly LessonOutcome[]): string {
  const rows = [['lesson', 'step', 'before', 'after', 'mistakes', 'ms', '']];
  for (const lesson of outcomes) {
    for (const step of lesson.steps) {
      rows.push([
        outcomeLabel(lesson),
        step.id,
        step.before.passed ? 'passed' : 'failed',
        step.after.passed ? 'passed' : 'failed',
        step.mistakes ? `${step.mistakes.refused}/${step.mistakes.tried} refused` : '',
        String(step.ms),
        stepOk(step) ? 'ok' : 'FAIL',
      ]);
    }
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, col) => cell.padEnd(widths[col]!))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const problems = outcomes.flatMap((o) => o.problems.map((p) => `  ${outcomeLabel(o)}: ${p}`));
  const passed = outcomes.filter((o) => o.passed).length;
  const footer = `${passed} of ${outcomes.length} lesson(s) verified${passed === outcomes.length ? '' : `; ${outcomes.length - passed} failed`}`;
  return [
    ...lines,
    '',
    ...(problems.length ? ['Problems:', ...problems, ''] : []),
    footer,
    '',
  ].join('\n');
}

/**
 * Fold the repeats of one lesson: every repeat must agree, or the lesson is flaky.
 *
 * @example
 * mergeRepeats([run1, run2]).passed
 */
export function mergeRepeats(runs: readonly LessonOutcome[]): LessonOutcome {
  const first = runs[0]!;
  if (runs.length === 1) return first;
  const steps = first.steps.map((step, index) => {
    const all = runs.map((run) => run.steps[index]).filter((s): s is StepReport => s !== undefined);
    const ms = all.map((s) => s.ms).sort((a, b) => a - b);
    return {
      id: step.id,
      before: { passed: all.some((s) => s.before.passed) },
      after: { passed: all.length === runs.length && all.every((s) => s.after.passed) },
      ms: ms[Math.floor(ms.length / 2)] ?? step.ms,
    };
  });
  const problems = [...new Set(runs.flatMap((run) => run.problems))];
  const verdicts = runs.map((run) => run.passed);
  if (new Set(verdicts).size > 1) {
    problems.unshift(
      `the ${runs.length} repeats disagree (${verdicts.map((v) => (v ? 'passed' : 'failed')).join(', ')}): the lesson is flaky${flakySteps(runs)}`,
    );
  }
  return {
    id: first.id,
    path: first.path,
    lang: first.lang,
    steps,
    passed: verdicts.every(Boolean),
    problems,
  };
}

/** Which steps the repeats disagree on: `; flaky step(s): logs, stop`. */
function flakySteps(runs: readonly LessonOutcome[]): string {
  const ids = runs[0]!.steps
    .map((step, index) => ({ id: step.id, ok: runs.map((run) => run.steps[index]) }))
    .filter(({ ok }) => new Set(ok.map((s) => (s ? stepOk(s) : false))).size > 1)
    .map(({ id }) => id);
  return ids.length > 0 ? `; flaky step(s): ${ids.join(', ')}` : '';
}
