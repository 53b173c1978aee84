import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST, ensureSiteBuilt } from '../../../sandbox-server/src/dev/site-build.ts';
import { measurePage } from '../../../site/scripts/bundle-size.ts';

// Issue 8's budget: the JavaScript a lesson page loads before the editor is ≤150 kB gzipped.

beforeAll(async () => {
  await ensureSiteBuilt();
}, 600_000);

describe('the built site', () => {
  it('loads at most 150 kB of gzipped JavaScript before the editor on every lesson page', () => {
    for (const lang of ['ja', 'en']) {
      const lessonsDir = path.join(DIST, lang, 'lessons');
      const lessons = readdirSync(lessonsDir);
      expect(lessons.length).toBeGreaterThan(0);
      for (const lesson of lessons) {
        const { gzipBytes, files } = measurePage(DIST, path.join(lessonsDir, lesson, 'index.html'));
        expect(
          files.some((f) => f.includes('monaco')),
          `${lang}/${lesson}`,
        ).toBe(false);
        expect(gzipBytes, `${lang}/${lesson}`).toBeLessThanOrEqual(150_000);
      }
    }
  });
});
