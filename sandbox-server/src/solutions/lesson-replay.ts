import type { Step } from '../contracts/lesson.ts';
import type { LoadedLesson } from '../lessons/load-lesson.ts';
import type { Sandbox } from '../sandbox/driver.ts';
import { openTerminal } from '../terminal/open-terminal.ts';
import { SolutionTypist } from './solution-runner.ts';

export interface LessonReplayOptions {
  /** The terminal's id in the sandbox (its own, so a learner's shell is left alone). */
  terminal: string;
  cols?: number;
  rows?: number;
  signal?: AbortSignal;
  /** Seconds one command may take (default 60). */
  commandTimeoutS?: number;
}

/** A lesson being typed into a terminal: its setup, then step solutions in the caller's order. */
export interface LessonReplay {
  /** Run the lesson's `setup`, if it has one. */
  setup(): Promise<void>;
  /** Type one step's solution and wait until it is done; throws SolutionError when it fails. */
  step(step: Step): Promise<void>;
}

/**
 * The one way solutions are replayed, for goto (`replayUntil`) and `handson verify`: a terminal
 * of its own in the sandbox, prepared for typing, handed to `body`, closed afterwards.
 *
 * @example
 * await withLessonReplay(sandbox, lesson, { terminal: 'replay', signal }, async (replay) => {
 *   await replay.setup();
 *   for (const step of lesson.spec.steps.slice(0, 2)) await replay.step(step);
 * });
 */
export async function withLessonReplay<T>(
  sandbox: Sandbox,
  lesson: LoadedLesson,
  opts: LessonReplayOptions,
  body: (replay: LessonReplay) => Promise<T>,
): Promise<T> {
  const term = await openTerminal(sandbox, {
    id: opts.terminal,
    ...(opts.cols ? { cols: opts.cols } : {}),
    ...(opts.rows ? { rows: opts.rows } : {}),
  });
  try {
    const typist = new SolutionTypist(term);
    const typing = { signal: opts.signal, commandTimeoutS: opts.commandTimeoutS };
    await typist.prepare(typing);
    return await body({
      setup: async () => {
        if (lesson.spec.setup) await typist.run(lesson.spec.setup, typing);
      },
      step: (step) => typist.run(step.solution, typing),
    });
  } finally {
    await term.close();
  }
}
