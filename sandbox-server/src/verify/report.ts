/**
 * What `handson verify` reports. The JSON shape is a public contract (DESIGN.md):
 * `{lessons:[{id, steps:[{id, before:{passed}, after:{passed}, ms}]}], passed, failed}`.
 * `before.passed` is true when any check already passed before the solution (each must fail);
 * `after.passed` when every check passed after it.
 */

export interface StepReport {
  id: string;
  before: { passed: boolean };
  after: { passed: boolean };
  ms: number;
}

export interface LessonReport {
  id: string;
  steps: StepReport[];
}

export interface VerifyReport {
  lessons: LessonReport[];
  /** Lessons that verified. */
  passed: number;
  /** Lessons that did not. */
  failed: number;
}

/** A lesson run's full result: the report plus the reasons, for people. */
export interface LessonOutcome extends LessonReport {
  passed: boolean;
  /** Each problem names the step: `step "logs": after the solution, check 2 fails: …`. */
  problems: string[];
}

/** Whether one step verified. */
export function stepOk(step: StepReport): boolean {
  return !step.before.passed && step.after.passed;
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
      steps: lesson.steps.map((s) => ({
        id: s.id,
        before: { passed: s.before.passed },
        after: { passed: s.after.passed },
        ms: s.ms,
      })),
    })),
    passed: outcomes.filter((o) => o.passed).length,
    failed: outcomes.filter((o) => !o.passed).length,
  };
}

/**
 * A plain-text summary table, one row per step, then the problems.
 *
 * @example
 * process.stdout.write(summaryTable(outcomes));
 */
export function summaryTable(outcomes: readonly LessonOutcome[]): string {
  const rows = [['lesson', 'step', 'before', 'after', 'ms', '']];
  for (const lesson of outcomes) {
    for (const step of lesson.steps) {
      rows.push([
        lesson.id,
        step.id,
        step.before.passed ? 'passed' : 'failed',
        step.after.passed ? 'passed' : 'failed',
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
  const problems = outcomes.flatMap((o) => o.problems.map((p) => `  ${o.id}: ${p}`));
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
      `the ${runs.length} repeats disagree (${verdicts.map((v) => (v ? 'passed' : 'failed')).join(', ')}): the lesson is flaky`,
    );
  }
  return { id: first.id, steps, passed: verdicts.every(Boolean), problems };
}
