import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fixtureLessons as fixtures,
  type VerifyRun as Run,
  verifyCli,
} from '../../integration/helpers/verify-cli-run.ts';

// `handson verify --browser` on drafts outside content/: each lesson is built into its own site,
// opened in chromium in every language it has, and taken by its buttons.

const verify = (args: string[]) => verifyCli(args, 420_000);

let run: Run;

beforeAll(async () => {
  run = await verify([
    path.join(fixtures, '03-interactive'),
    path.join(fixtures, '07-page-hides-run'),
    '--browser',
    '--json',
    '--jobs',
    '2',
    '--command-timeout',
    '40',
  ]);
}, 450_000);

const entry = (id: string, lang: string) =>
  run.report.lessons.find((l) => l.id === id && l.path === 'browser' && l.lang === lang);

describe('handson verify --browser', () => {
  it('reports one browser entry per lesson and language, and only those', () => {
    expect(run.report.lessons.map((l) => `${l.id} ${l.path} ${l.lang}`)).toEqual([
      'interactive browser ja',
      'interactive browser en',
      'page-hides-run browser ja',
      'page-hides-run browser en',
    ]);
    expect(run.code).toBe(1);
  });

  it("passes a draft whose Run and Press buttons (and the page's Check) take the learner through", () => {
    for (const lang of ['ja', 'en']) {
      expect(entry('interactive', lang)?.steps).toEqual([
        {
          id: 'inside',
          before: { passed: false },
          after: { passed: true },
          ms: expect.any(Number),
        },
      ]);
    }
  });

  it('fails a step whose Run the page cannot perform, naming lesson, step and language', () => {
    for (const lang of ['ja', 'en']) {
      expect(entry('page-hides-run', lang)?.steps[0]).toMatchObject({
        id: 'create-both',
        after: { passed: false },
      });
      expect(run.stderr).toContain(
        `page-hides-run (browser ${lang}): step "create-both": the page could not be completed: the page's Run button for \`docker create --name hidden busybox true\` cannot be clicked (it is not visible on the page)`,
      );
    }
    expect(run.report).toMatchObject({ passed: 2, failed: 2 });
  });
});
