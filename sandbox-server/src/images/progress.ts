import { Listr } from 'listr2';
import type { StepIo } from './engine.ts';

export interface StepOutcome {
  cached: boolean;
  /** A short fact for the progress line, e.g. "412 packages". */
  note?: string;
}

export interface Step {
  title: string;
  run(io: StepIo): Promise<StepOutcome>;
}

/**
 * How progress is shown: `tty` draws listr2's live task list, `lines` writes one line per
 * finished step (CI logs), `quiet` writes nothing (for `--json`).
 */
export type ProgressMode = 'tty' | 'lines' | 'quiet';

/**
 * Runs `steps` in order, stopping at the first failure (its error names the step).
 *
 * @example
 * await runSteps([{ title: 'Say hi', run: async () => ({ cached: true }) }], 'lines', console.log);
 */
export async function runSteps(
  steps: readonly Step[],
  mode: ProgressMode,
  write: (line: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const timed = async (step: Step, onLine?: (line: string) => void) => {
    signal?.throwIfAborted();
    const started = performance.now();
    try {
      const outcome = await step.run({ signal, onLine });
      return { outcome, seconds: ((performance.now() - started) / 1000).toFixed(1) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${step.title} failed: ${message}`, { cause: error });
    }
  };
  const describe = (outcome: StepOutcome, seconds: string) =>
    `${outcome.cached ? 'cached' : 'done'}${outcome.note ? `, ${outcome.note}` : ''} (${seconds}s)`;

  if (mode !== 'tty') {
    for (const step of steps) {
      try {
        const { outcome, seconds } = await timed(step);
        if (mode === 'lines') write(`✔ ${step.title}: ${describe(outcome, seconds)}`);
      } catch (error) {
        if (mode === 'lines') write(`✖ ${step.title}`);
        throw error;
      }
    }
    return;
  }
  const list = new Listr(
    steps.map((step) => ({
      title: step.title,
      task: async (_: unknown, task: { title: string; output: string }) => {
        const { outcome, seconds } = await timed(step, (line) => {
          task.output = line;
        });
        task.title = `${step.title}: ${describe(outcome, seconds)}`;
      },
    })),
    { concurrent: false, exitOnError: true, rendererOptions: { collapseErrors: false } },
  );
  await list.run();
}
