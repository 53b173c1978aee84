import type { Lesson, Part } from '#contracts/lesson.ts';
import { lessonIdFromFolder, pickLang } from '#contracts/lesson.ts';
import type { Lang } from '../client/i18n.ts';
import type { Solution } from '../client/solution.ts';

/**
 * What the pages need from a lesson, in one language: the shape the lesson page's script
 * receives as JSON. Built from a parsed `lesson.yaml` (the lesson contract) by `toLessonView`,
 * so the browser bundle never carries the schema itself.
 */

export interface EditorFileView {
  path: string;
  /** Written to the workspace when the step opens and the file does not exist yet. */
  content?: string;
  /** Editor language id, when the file name does not tell (`html`, `dockerfile`). */
  language?: string;
}

export interface StepView {
  id: string;
  title: string;
  hints: string[];
  solution: Solution;
  /** Workspace files the step edits (opens the editor). */
  files: EditorFileView[];
  /** Ports a learner is expected to publish (from `http` checks), offered as links. */
  ports: number[];
}

export interface LessonView {
  /** The lesson id the API uses (`lifecycle` for `03-lifecycle`). */
  id: string;
  /** The folder under content/lessons. */
  folder: string;
  order: number;
  /** The part of the course the index lists it under; undefined: after the parts. */
  part: Part | undefined;
  title: string;
  summary: string | undefined;
  steps: StepView[];
}

/**
 * A lesson's data in one language.
 *
 * @example
 * toLessonView('03-lifecycle', lessonSchema.parse(yaml), 'en').steps[0].title
 * // 'Start it in the background'
 */
export function toLessonView(folder: string, lesson: Lesson, lang: Lang): LessonView {
  return {
    id: lessonIdFromFolder(folder),
    folder,
    order: lesson.order,
    part: lesson.part,
    title: pickLang(lesson.title, lang) ?? folder,
    summary: lesson.summary ? pickLang(lesson.summary, lang) : undefined,
    steps: lesson.steps.map((step) => ({
      id: step.id,
      title: pickLang(step.title, lang) ?? step.id,
      hints: pickLang(step.hints, lang) ?? [],
      solution: step.solution,
      files: (step.files ?? []).map((f) => ({
        path: f.path,
        ...(f.content === undefined ? {} : { content: f.content }),
        ...(f.language === undefined ? {} : { language: f.language }),
      })),
      ports: [
        ...new Set(step.checks.flatMap((check) => (check.kind === 'http' ? [check.port] : []))),
      ],
    })),
  };
}
