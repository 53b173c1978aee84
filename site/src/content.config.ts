import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';

/**
 * The course's content collections, read straight from the repository's `content/lessons/`:
 * `lessons` are the language-free `lesson.yaml` files, `prose` the `ja.mdx` / `en.mdx` / `zh.mdx` files.
 * Both are keyed by the lesson's folder (`03-lifecycle`, `03-lifecycle/en`).
 */

// Relative to the Astro root (site/). HANDSON_CONTENT_DIR builds the pages of another folder of
// lessons (`handson verify --browser` on an author's draft).
const base = process.env.HANDSON_CONTENT_DIR ?? '../content/lessons';

const lessons = defineCollection({
  loader: glob({
    pattern: '*/lesson.yaml',
    base,
    generateId: ({ entry }) => entry.split('/')[0]!,
  }),
  // Validated in full by the lesson contract (see site/src/lib/lessons.ts).
  schema: z.record(z.unknown()),
});

const prose = defineCollection({
  loader: glob({
    pattern: '*/{ja,en,zh}.mdx',
    base,
    generateId: ({ entry }) => entry.replace(/\.mdx$/, ''),
  }),
});

export const collections = { lessons, prose };
