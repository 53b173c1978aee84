import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LANGS, type Lang } from '../contracts/lesson.ts';
import { type LoadedLesson, loadLesson } from '../lessons/load-lesson.ts';
import type { SandboxDriver } from '../sandbox/driver.ts';
import {
  type LessonOutcome,
  outcomeLabel,
  planLesson,
  runVerify,
  summaryTable,
} from '../verify/index.ts';
import { editedStep } from './edited-step.ts';

/**
 * `handson dev`'s other half: watch lesson folders, and on each save of a lesson's file
 * re-verify that lesson up to the step the save changed — a prose file on the prose path in its
 * language, lesson.yaml on both paths in every language — printing the result. A newer save
 * cancels a verify still running.
 *
 * @example
 * const stop = reverifyOnSave([lesson.dir], driver, { print: (t) => process.stdout.write(t) });
 */

export interface ReverifyOptions {
  print: (text: string) => void;
  /** Languages to verify on the prose path (default: the saved file's, or all the lesson has). */
  langs?: readonly Lang[];
  commandTimeoutS?: number;
}

/** Editors save in bursts (write, rename, chmod): one verify per burst. */
const SETTLE_MS = 300;

const isLessonFile = (name: string) =>
  name === 'lesson.yaml' || LANGS.some((lang) => name === `${lang}.mdx`);

export function reverifyOnSave(
  lessonDirs: readonly string[],
  driver: SandboxDriver,
  opts: ReverifyOptions,
): () => void {
  const seen = new Map<string, string>();
  const timers = new Map<string, NodeJS.Timeout>();
  let running: AbortController | undefined;
  const watchers: FSWatcher[] = [];

  const remember = async (file: string) => {
    seen.set(file, await readFile(file, 'utf8').catch(() => ''));
  };

  const onSaved = async (file: string) => {
    const before = seen.get(file) ?? '';
    const after = await readFile(file, 'utf8').catch(() => undefined);
    if (after === undefined || after === before) return;
    seen.set(file, after);
    running?.abort(new Error('a newer save'));
    const abort = new AbortController();
    running = abort;
    const name = path.basename(file);
    let lesson: LoadedLesson;
    try {
      lesson = await loadLesson(path.dirname(file));
    } catch (error) {
      opts.print(`dev: ${name} saved; the lesson does not load:\n${(error as Error).message}\n`);
      return;
    }
    const stepIds = lesson.spec.steps.map((s) => s.id);
    const step = editedStep(name, before, after, stepIds);
    const lang = LANGS.find((l) => name === `${l}.mdx`);
    const plans = planLesson(lesson, {
      paths: lang ? ['prose'] : ['solution', 'prose'],
      langs: lang ? [lang] : opts.langs,
      untilStep: step,
    });
    const upTo = step ? `up to step "${step}"` : 'every step';
    opts.print(`dev: ${name} saved: verifying ${lesson.id} ${upTo}…\n`);
    const outcomes = await runVerify(plans, driver, {
      refs: [],
      jobs: 2,
      signal: abort.signal,
      commandTimeoutS: opts.commandTimeoutS,
    });
    if (abort.signal.aborted) return;
    opts.print(`${summaryTable(outcomes)}${verdicts(outcomes, step)}`);
  };

  for (const dir of lessonDirs) {
    for (const name of ['lesson.yaml', ...LANGS.map((l) => `${l}.mdx`)])
      void remember(path.join(dir, name));
    const watcher = watch(dir, (_event, name) => {
      if (!name || !isLessonFile(name)) return;
      const file = path.join(dir, name);
      clearTimeout(timers.get(file));
      timers.set(
        file,
        setTimeout(() => {
          timers.delete(file);
          onSaved(file).catch((error: unknown) =>
            opts.print(`dev: verifying after ${name} failed: ${(error as Error).message}\n`),
          );
        }, SETTLE_MS),
      );
    });
    watchers.push(watcher);
  }
  return () => {
    running?.abort(new Error('stopped'));
    for (const timer of timers.values()) clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}

/** One line per entry: `dev: first-containers (prose en) up to "logs": verified`. */
function verdicts(outcomes: readonly LessonOutcome[], step: string | undefined): string {
  return outcomes
    .map(
      (o) =>
        `dev: ${outcomeLabel(o)}${step ? ` up to "${step}"` : ''}: ${o.passed ? 'verified' : 'FAILED'}\n`,
    )
    .join('');
}
