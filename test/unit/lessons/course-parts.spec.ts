import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARTS } from '#contracts/lesson.ts';
import { loadCourse } from '../../../sandbox-server/src/lessons/load-lesson.ts';

// The lesson format lets a draft leave `part` out; the course itself names one for every lesson,
// so its index has no "more lessons" group.
describe("the course's parts", () => {
  it('every lesson names its part, and every part has lessons', async () => {
    const course = await loadCourse(path.resolve(import.meta.dirname, '../../../content/lessons'));
    const withoutPart = course.filter((lesson) => lesson.spec.part === undefined);
    expect(withoutPart.map((lesson) => lesson.folder)).toEqual([]);
    for (const part of PARTS) {
      expect(
        course.some((lesson) => lesson.spec.part === part),
        part,
      ).toBe(true);
    }
  });
});
