import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LANGS } from '#contracts/lesson.ts';
import { loadLesson } from '../../../sandbox-server/src/lessons/load-lesson.ts';
import { parityProblems } from '../../../sandbox-server/src/lessons/prose-parity.ts';
import { proseRuns } from '../../../sandbox-server/src/lessons/run-commands.ts';
import { scaffoldLesson } from '../../../sandbox-server/src/lessons/scaffold.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'handson-new-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('handson new lesson', () => {
  it('makes a course lesson with the next order number that loads as the course needs it', async () => {
    await scaffoldLesson(path.join(dir, '03-old'), dir);
    const made = await scaffoldLesson('fresh-lesson', dir);
    expect(path.basename(made)).toBe('04-fresh-lesson');
    const lesson = await loadLesson(made, { requireLangs: LANGS });
    expect(lesson.id).toBe('fresh-lesson');
    expect(lesson.spec.steps.map((s) => s.id)).toEqual(['first-container']);
    // The course needs a part for every lesson (the index groups by it).
    expect(lesson.spec.part).toBe('running-well');
  });

  it("gives every language the same Runs, doing what the step's solution does", async () => {
    const lesson = await loadLesson(await scaffoldLesson(path.join(dir, 'draft'), dir));
    const byLang = {
      ja: proseRuns(lesson.prose.ja!).steps,
      en: proseRuns(lesson.prose.en!).steps,
      zh: proseRuns(lesson.prose.zh!).steps,
    };
    expect(parityProblems(['first-container'], byLang)).toEqual([]);
    expect(byLang.en.get('first-container')?.map((r) => r.command)).toEqual([
      lesson.spec.steps[0]!.solution,
    ]);
  });

  it('never overwrites a folder, and refuses an id that is not one', async () => {
    const made = await scaffoldLesson(path.join(dir, 'taken'), dir);
    await expect(scaffoldLesson(made, dir)).rejects.toThrow(/already exists/);
    await expect(scaffoldLesson('Bad Id', dir)).rejects.toThrow(/not a lesson id/);
    expect(await readdir(dir)).toEqual(['taken']);
  });
});
