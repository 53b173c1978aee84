import { describe, expect, it } from 'vitest';
import {
  type LessonOutcome,
  mergeRepeats,
  stepOk,
  summaryTable,
  toJsonReport,
} from '../../../sandbox-server/src/verify/report.ts';

const good: LessonOutcome = {
  id: 'first-containers',
  path: 'solution',
  lang: null,
  passed: true,
  problems: [],
  steps: [{ id: 'hello', before: { passed: false }, after: { passed: true }, ms: 900 }],
};
const bad: LessonOutcome = {
  id: 'first-containers',
  path: 'solution',
  lang: null,
  passed: false,
  problems: ['step "hello": after its solution, check 1 (…) fails'],
  steps: [{ id: 'hello', before: { passed: false }, after: { passed: false }, ms: 1100 }],
};

describe('the verify report', () => {
  it('has exactly the fields of the JSON contract', () => {
    expect(toJsonReport([good, { ...bad, id: 'broken', path: 'prose', lang: 'ja' }])).toEqual({
      lessons: [
        {
          id: 'first-containers',
          path: 'solution',
          lang: null,
          steps: [{ id: 'hello', before: { passed: false }, after: { passed: true }, ms: 900 }],
        },
        {
          id: 'broken',
          path: 'prose',
          lang: 'ja',
          steps: [{ id: 'hello', before: { passed: false }, after: { passed: false }, ms: 1100 }],
        },
      ],
      passed: 1,
      failed: 1,
    });
  });

  it('fails a lesson whose repeats disagree, and says it is flaky', () => {
    const merged = mergeRepeats([good, bad]);
    expect(merged.passed).toBe(false);
    expect(merged.problems[0]).toMatch(
      /repeats disagree \(passed, failed\): the lesson is flaky; flaky step\(s\): hello/,
    );
    expect(merged.steps[0]!.after.passed).toBe(false);
  });

  it('reports the mistakes a step tried, and fails a step whose checks let one pass', () => {
    const tried = (refused: number): LessonOutcome => ({
      ...good,
      steps: [{ ...good.steps[0]!, mistakes: { tried: 2, refused } }],
    });
    expect(toJsonReport([tried(2)]).lessons[0]!.steps[0]).toEqual({
      id: 'hello',
      before: { passed: false },
      after: { passed: true },
      ms: 900,
      mistakes: { tried: 2, refused: 2 },
    });
    expect(stepOk(tried(2).steps[0]!)).toBe(true);
    expect(stepOk(tried(1).steps[0]!)).toBe(false);
    expect(summaryTable([tried(1)])).toMatch(/hello\s+failed\s+passed\s+1\/2 refused\s+900\s+FAIL/);
  });

  it('prints one row per step and the problems naming the step', () => {
    const table = summaryTable([bad]);
    expect(table).toMatch(/first-containers\s+hello\s+failed\s+failed\s+1100\s+FAIL/);
    expect(table).toContain('first-containers: step "hello": after its solution');
    expect(table).toContain('0 of 1 lesson(s) verified; 1 failed');
  });

  it('names the path and language of a prose entry', () => {
    const table = summaryTable([{ ...bad, path: 'prose', lang: 'en' }]);
    expect(table).toMatch(/first-containers \(prose en\)\s+hello\s+failed/);
    expect(table).toContain('first-containers (prose en): step "hello"');
  });
});
