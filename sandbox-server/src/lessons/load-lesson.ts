import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  LANGS,
  type Lang,
  type Lesson,
  lessonIdFromFolder,
  lessonSchema,
} from '#contracts/lesson.ts';
import { formatLessonIssues } from '#contracts/lesson-errors.ts';
import { knownImages, shortImageName } from './expected-images.ts';
import { compareStepIds, proseStepIds } from './prose.ts';
import { figureProblems } from './prose-figures.ts';
import { parseYamlSource } from './yaml-source.ts';

/** A lesson read from its folder and checked: the spec plus its prose per language. */
export interface LoadedLesson {
  /** The id the API and `handson verify` use (`first-containers`). */
  id: string;
  /** The folder's name (`02-first-containers`). */
  folder: string;
  /** Absolute path of the folder. */
  dir: string;
  spec: Lesson;
  /** MDX text per language present. */
  prose: Partial<Record<Lang, string>>;
}

/** A lesson (or course) that failed to load; `problems` are lines naming file, step, field. */
export class LessonError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length} problem(s) in the lessons:\n  ${problems.join('\n  ')}`);
    this.name = 'LessonError';
  }
}

export interface LoadOptions {
  /**
   * Languages every lesson must have (the course: COURSE_LANGS; a draft: none). A lesson also
   * needs every text in each language whose prose (`<lang>.mdx`) it has.
   */
  requireLangs?: readonly Lang[];
  /** Base for the file names in messages (default: the current directory). */
  relativeTo?: string;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Languages every course lesson must have: a new lesson comes with all three. */
export const COURSE_LANGS: readonly Lang[] = ['ja', 'en', 'zh'];

/**
 * Every localised field of the spec that lacks one of `langs`: titles, summary, hints and the
 * checks' own messages.
 */
function missingLanguages(spec: Lesson, file: string, langs: readonly Lang[]): string[] {
  const problems: string[] = [];
  for (const lang of langs) {
    if (!spec.title[lang]) problems.push(`${file}: title: missing the ${lang} text`);
    if (spec.summary && !spec.summary[lang])
      problems.push(`${file}: summary: missing the ${lang} text`);
    for (const step of spec.steps) {
      if (!step.title[lang])
        problems.push(`${file}: step "${step.id}", title: missing the ${lang} text`);
      if (!step.hints[lang])
        problems.push(`${file}: step "${step.id}", hints: missing the ${lang} hints`);
      step.checks.forEach((check, index) => {
        if (check.message && !check.message[lang])
          problems.push(
            `${file}: step "${step.id}", checks[${index}].message: missing the ${lang} text`,
          );
      });
    }
  }
  return problems;
}

/**
 * Read and check one lesson folder: `lesson.yaml` against the schema, `ja.mdx`/`en.mdx` step
 * sections against the spec's steps, declared images against the ones the project builds, the
 * prose's figures against the `figures/` folder.
 * Throws a LessonError listing every problem found.
 *
 * @example
 * const lesson = await loadLesson('content/lessons/02-first-containers');
 * lesson.id // 'first-containers'
 */
export async function loadLesson(folder: string, opts: LoadOptions = {}): Promise<LoadedLesson> {
  const dir = path.resolve(folder);
  const rel = (file: string) => path.relative(opts.relativeTo ?? process.cwd(), file) || file;
  const yamlFile = path.join(dir, 'lesson.yaml');
  const text = await readFile(yamlFile, 'utf8').catch(() => undefined);
  if (text === undefined) {
    throw new LessonError([`${rel(yamlFile)}: not found; a lesson folder needs a lesson.yaml`]);
  }
  const source = parseYamlSource(text, rel(yamlFile));
  if (source.errors.length > 0) throw new LessonError(source.errors);
  const parsed = lessonSchema.safeParse(source.data);
  if (!parsed.success) {
    throw new LessonError(
      formatLessonIssues(rel(yamlFile), source.data, parsed.error.issues, source.lineOf),
    );
  }
  const spec = parsed.data;
  const problems: string[] = [];

  const known = await knownImages();
  spec.images.forEach((image, index) => {
    if (!known.includes(shortImageName(image))) {
      const line = source.lineOf(['images', index]);
      problems.push(
        `${rel(yamlFile)}${line ? `:${line}` : ''}: images[${index}]: "${image}" is not an image the local registry provides (${known.join(', ')})`,
      );
    }
  });

  const prose: Partial<Record<Lang, string>> = {};
  const stepIds = spec.steps.map((step) => step.id);
  for (const lang of LANGS) {
    const file = path.join(dir, `${lang}.mdx`);
    if (!(await exists(file))) {
      if (opts.requireLangs?.includes(lang))
        problems.push(`${rel(file)}: not found; the course needs ${lang} prose`);
      continue;
    }
    const mdx = await readFile(file, 'utf8');
    prose[lang] = mdx;
    for (const problem of compareStepIds(stepIds, proseStepIds(mdx)))
      problems.push(`${rel(file)}: ${problem}`);
  }
  const figuresDir = path.join(dir, 'figures');
  const figureFiles = await readdir(figuresDir, { withFileTypes: true }).then(
    (entries) => entries.filter((entry) => entry.isFile()).map((entry) => entry.name),
    () => [],
  );
  problems.push(
    ...figureProblems({
      prose,
      files: figureFiles,
      fileOf: (lang) => rel(path.join(dir, `${lang}.mdx`)),
      folder: rel(figuresDir),
    }),
  );
  // A lesson has a language when it has that language's prose: then every text needs it too.
  const required = LANGS.filter(
    (lang) => prose[lang] !== undefined || opts.requireLangs?.includes(lang),
  );
  problems.unshift(...missingLanguages(spec, rel(yamlFile), required));
  if (Object.keys(prose).length === 0) {
    problems.push(
      `${rel(dir)}: no prose; add ja.mdx, en.mdx and/or zh.mdx with one <Step id="…"> per step`,
    );
  }
  if (problems.length > 0) throw new LessonError(problems);
  const name = path.basename(dir);
  return { id: lessonIdFromFolder(name), folder: name, dir, spec, prose };
}

/**
 * Every lesson under `contentDir` (`content/lessons`), in course order, checked for the course
 * (COURSE_LANGS required). Throws one LessonError listing the problems of every lesson.
 *
 * @example
 * const course = await loadCourse('content/lessons');
 * course.map((l) => l.id) // ['setup', 'first-containers', …]
 */
export async function loadCourse(
  contentDir: string,
  opts: LoadOptions = {},
): Promise<LoadedLesson[]> {
  const entries = await readdir(contentDir, { withFileTypes: true });
  const folders = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => path.join(contentDir, entry.name))
    .sort();
  const lessons: LoadedLesson[] = [];
  const problems: string[] = [];
  const options = { requireLangs: COURSE_LANGS, ...opts };
  for (const folder of folders) {
    try {
      lessons.push(await loadLesson(folder, options));
    } catch (error) {
      if (error instanceof LessonError) problems.push(...error.problems);
      else throw error;
    }
  }
  const seen = new Map<string, string>();
  for (const lesson of lessons) {
    const other = seen.get(lesson.id);
    if (other)
      problems.push(
        `${lesson.folder}: lesson id "${lesson.id}" is also the id of ${other}; rename one folder`,
      );
    seen.set(lesson.id, lesson.folder);
  }
  if (problems.length > 0) throw new LessonError(problems);
  return lessons.sort((a, b) => a.spec.order - b.spec.order || a.folder.localeCompare(b.folder));
}
