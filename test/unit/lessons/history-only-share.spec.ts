import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../../../sandbox-server/src/lessons/load-lesson.ts';

// A history check proves a command was typed, not that it did anything: the course keeps it for
// the few steps whose only trace is the command (content/README.md), at most a tenth of them.
describe("the course's history-only steps", () => {
  it('are at most 10% of all steps', async () => {
    const course = await loadCourse(path.resolve(import.meta.dirname, '../../../content/lessons'));
    const steps = course.flatMap((lesson) =>
      lesson.spec.steps.map((step) => ({ lesson: lesson.folder, step })),
    );
    const historyOnly = steps.filter(({ step }) =>
      step.checks
        .filter((check) => check.guard !== true)
        .every((check) => check.kind === 'history'),
    );
    expect(steps.length).toBeGreaterThanOrEqual(160);
    expect(historyOnly.length / steps.length).toBeLessThanOrEqual(0.1);
  });
});
