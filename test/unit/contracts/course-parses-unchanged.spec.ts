import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { lessonSchema } from '#contracts/lesson.ts';

/**
 * Every lesson.yaml of the course and of the test fixtures, parsed, against a snapshot: the
 * lesson schema may be reorganised (one file per check kind) but what it makes of the course
 * must not change. A lesson whose YAML was edited on purpose updates its snapshot with
 * `npx vitest run -u test/unit/contracts/course-parses-unchanged.spec.ts` after reading the diff.
 */

const ROOTS = ['content/lessons', 'test/fixtures/lessons', 'test/fixtures/goto-lessons'];

async function lessonFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const root of ROOTS) {
    for (const folder of (await readdir(root)).sort()) {
      files.push(path.join(root, folder, 'lesson.yaml'));
    }
  }
  return files;
}

const files = await lessonFiles();

describe('the lesson schema parses the whole course as before', () => {
  it('finds the course and the fixtures', () => {
    expect(files.filter((f) => f.startsWith('content/')).length).toBeGreaterThanOrEqual(11);
  });

  it.each(files)('%s', async (file) => {
    const parsed = lessonSchema.parse(YAML.parse(await readFile(file, 'utf8')));
    expect(parsed).toMatchSnapshot();
  });
});
