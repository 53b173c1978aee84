import type { Lang } from '../client/i18n.ts';
import type { Solution } from '../client/solution.ts';

/**
 * What the pages need from a lesson, in one language: the shape the lesson page's script
 * receives as JSON. Built from `lesson.yaml` by `toLessonView`, so the rest of the site does
 * not depend on every detail of the lesson schema.
 */

export interface StepView {
  id: string;
  title: string;
  hints: string[];
  solution: Solution | undefined;
  /** Workspace files the step edits (opens the editor). */
  files: string[];
  /** Ports a learner is expected to publish (from `http` checks), offered as links. */
  ports: number[];
}

export interface LessonView {
  /** The lesson id the API uses (`lifecycle` for `03-lifecycle`). */
  id: string;
  /** The folder under content/lessons. */
  folder: string;
  order: number;
  title: string;
  steps: StepView[];
}

type Localized<T> = Partial<Record<Lang, T>> | T;

/** Minimal structural view of `lesson.yaml` (the lesson contract validates it fully). */
export interface LessonData {
  id?: string;
  order?: number;
  title?: Localized<string>;
  steps?: {
    id: string;
    title?: Localized<string>;
    hints?: Localized<string[]>;
    solution?: Solution;
    files?: (string | { path: string })[];
    checks?: Record<string, unknown>[];
  }[];
}

/** The lesson id for a folder: `03-lifecycle` → `lifecycle`. */
export function lessonIdFromFolder(folder: string): string {
  return folder.replace(/^\d+-/, '');
}

function pick<T>(value: Localized<T> | undefined, lang: Lang, fallback: T): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'object' && !Array.isArray(value) && ('ja' in value || 'en' in value)) {
    const byLang = value as Partial<Record<Lang, T>>;
    return byLang[lang] ?? byLang.en ?? byLang.ja ?? fallback;
  }
  return value as T;
}

function portsOf(checks: Record<string, unknown>[] | undefined): number[] {
  const ports = new Set<number>();
  for (const check of checks ?? []) {
    const http = check.http as { port?: unknown } | undefined;
    if (http && typeof http.port === 'number') ports.add(http.port);
  }
  return [...ports];
}

/**
 * A lesson's data in one language.
 *
 * @example
 * toLessonView('03-lifecycle', yaml, 'en').steps[0].title // 'Start it in the background'
 */
export function toLessonView(folder: string, data: LessonData, lang: Lang): LessonView {
  return {
    id: data.id ?? lessonIdFromFolder(folder),
    folder,
    order: data.order ?? Number.parseInt(folder, 10) ?? 0,
    title: pick(data.title, lang, folder),
    steps: (data.steps ?? []).map((step) => ({
      id: step.id,
      title: pick(step.title, lang, step.id),
      hints: pick(step.hints, lang, [] as string[]),
      solution: step.solution,
      files: (step.files ?? []).map((f) => (typeof f === 'string' ? f : f.path)),
      ports: portsOf(step.checks),
    })),
  };
}
