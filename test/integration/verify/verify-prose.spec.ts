import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fixtureLessons as fixtures,
  type VerifyRun as Run,
  verifyCli,
} from '../helpers/verify-cli-run.ts';

const entry = (run: Run, id: string, p: string, lang: string | null) =>
  run.report.lessons.find((l) => l.id === id && l.path === p && l.lang === lang);

const verify = (args: string[]) => verifyCli(args);

let run: Run;

beforeAll(async () => {
  run = await verify([
    ...['03-interactive', '05-prose-misses', '06-languages-differ'].map((f) =>
      path.join(fixtures, f),
    ),
    '--path',
    'both',
    '--json',
    '--jobs',
    '2',
    '--command-timeout',
    '40',
  ]);
}, 300_000);

describe('handson verify --path both', () => {
  it('reports one entry per lesson and path, and per language on the prose path', () => {
    const entries = run.report.lessons.map((l) => `${l.id} ${l.path} ${l.lang}`);
    expect(entries).toEqual([
      'interactive solution null',
      'interactive prose ja',
      'interactive prose en',
      'prose-misses solution null',
      'prose-misses prose ja',
      'prose-misses prose en',
      'languages-differ solution null',
      'languages-differ prose ja',
      'languages-differ prose en',
    ]);
    expect(run.code).toBe(1);
  });

  it('verifies a draft outside content/ on both paths, interactive prose included', () => {
    for (const lang of [null, 'ja', 'en']) {
      const p = lang === null ? 'solution' : 'prose';
      expect(entry(run, 'interactive', p, lang)?.steps).toEqual([
        {
          id: 'inside',
          before: { passed: false },
          after: { passed: true },
          ms: expect.any(Number),
        },
      ]);
    }
  });

  it('fails the prose that misses a command, naming the step and the language', () => {
    expect(entry(run, 'prose-misses', 'solution', null)?.steps[0]?.after.passed).toBe(true);
    for (const lang of ['ja', 'en']) {
      expect(entry(run, 'prose-misses', 'prose', lang)?.steps[0]).toMatchObject({
        id: 'build',
        after: { passed: false },
      });
      expect(run.stderr).toContain(
        `prose-misses (prose ${lang}): step "build": \`docker build -t demo:note ctx\` exited with status 1`,
      );
    }
  });

  it('says where the languages differ, and fails the language whose prose falls short', () => {
    expect(entry(run, 'languages-differ', 'solution', null)?.steps[0]?.after.passed).toBe(true);
    expect(run.stderr).toContain(
      'languages-differ (prose en): languages differ: step "two-containers": ja has 1 <Run>(s), en has 2; en adds `docker create --name second busybox true` (en.mdx line 4)',
    );
    expect(entry(run, 'languages-differ', 'prose', 'ja')?.steps[0]?.after.passed).toBe(false);
    expect(entry(run, 'languages-differ', 'prose', 'en')?.steps[0]?.after.passed).toBe(true);
    expect(run.report.passed).toBe(5);
  });
});
