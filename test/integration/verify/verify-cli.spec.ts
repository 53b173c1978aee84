import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fixtureLessons as fixtures,
  type VerifyRun as Run,
  verifyCli,
} from '../helpers/verify-cli-run.ts';

const lessonOf = (run: Run, id: string) => run.report.lessons.find((l) => l.id === id);

const verify = (args: string[]) => verifyCli(args);

let run: Run;

beforeAll(async () => {
  run = await verify([
    ...['01-solution-misses', '02-passes-early', '03-interactive', '04-hangs', '08-mistakes'].map(
      (f) => path.join(fixtures, f),
    ),
    '--json',
    '--jobs',
    '2',
    '--command-timeout',
    '40',
  ]);
}, 300_000);

describe('handson verify on lessons broken on purpose', () => {
  it('exits non-zero and counts the failed lessons', () => {
    expect(run.code).toBe(1);
    expect(run.report.passed).toBe(1);
    expect(run.report.failed).toBe(4);
  });

  it('fails a step whose solution does not satisfy its checks, naming the step', () => {
    expect(lessonOf(run, 'solution-misses')?.steps).toEqual([
      {
        id: 'make-box',
        before: { passed: false },
        after: { passed: false },
        ms: expect.any(Number),
      },
    ]);
    expect(run.stderr).toMatch(
      /solution-misses: step "make-box": after its solution, check 1 \(there should be a container named `box`/,
    );
  });

  it('fails a step whose check already passes before its solution', () => {
    const steps = lessonOf(run, 'passes-early')?.steps;
    expect(steps?.[0]).toMatchObject({
      id: 'make-box',
      before: { passed: false },
      after: { passed: true },
    });
    expect(steps?.[1]).toMatchObject({
      id: 'look-around',
      before: { passed: true },
      after: { passed: true },
    });
    expect(run.stderr).toMatch(
      /passes-early: step "look-around": already passes before its solution/,
    );
  });

  it('stops a hanging solution with a timeout naming the step', () => {
    expect(lessonOf(run, 'hangs')?.steps[0]).toMatchObject({
      id: 'wait-forever',
      after: { passed: false },
    });
    expect(run.stderr).toMatch(
      /hangs: step "wait-forever": the solution failed: `sleep 600` did not finish within 40 s/,
    );
  });
});

describe('handson verify tries the mistakes an author wrote down', () => {
  it('counts the mistakes the checks refused and names the one they let through', () => {
    const steps = lessonOf(run, 'mistakes')?.steps;
    expect(steps?.[0]).toMatchObject({
      id: 'make-box',
      before: { passed: false },
      after: { passed: true },
      mistakes: { tried: 3, refused: 2 },
    });
    expect(run.stderr).toMatch(
      /mistakes: step "make-box": mistake "docker run makes the same container, which the checks cannot tell apart" passed every check/,
    );
    expect(run.stderr).not.toMatch(/mistake "another name"/);
    expect(run.stderr).not.toMatch(/mistake "a command that fails/);
  });

  it('undoes each mistake, so the step still starts with its checks failing', () => {
    expect(run.stderr).not.toMatch(/mistakes: step "make-box": already passes/);
  });

  it('counts a mistake typed in the step against a history check', () => {
    expect(lessonOf(run, 'mistakes')?.steps[1]).toMatchObject({
      id: 'list-all',
      before: { passed: false },
      after: { passed: true },
      mistakes: { tried: 1, refused: 1 },
    });
  });
});

describe('handson verify on an interactive lesson', () => {
  it('types run -it, works inside, detaches with C-p C-q, and passes', () => {
    expect(lessonOf(run, 'interactive')).toEqual({
      id: 'interactive',
      path: 'solution',
      lang: null,
      steps: [
        {
          id: 'inside',
          before: { passed: false },
          after: { passed: true },
          ms: expect.any(Number),
        },
      ],
    });
  });
});
