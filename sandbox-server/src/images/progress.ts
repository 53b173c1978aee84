import { Listr } from 'listr2';
import type { StepIo } from './engine.ts';
import { runScheduled } from './schedule.ts';

export interface StepOutcome {
  cached: boolean;
  /** A short fact for the progress line, e.g. "412 packages". */
  note?: string;
}

export interface Step {
  id: string;
  title: string;
  /** Ids of the steps whose results this one uses. */
  needs?: readonly string[];
  run(io: StepIo): Promise<StepOutcome>;
}

/**
 * How progress is shown: `tty` draws listr2's live task list, `lines` writes one line per
 * finished step (CI logs), `quiet` writes nothing (for `--json`).
 */
export type ProgressMode = 'tty' | 'lines' | 'quiet';

/**
 * Runs `steps`, each once the steps it needs are done, up to `concurrency` at a time; after
 * the first failure nothing new starts, and the error names the failed step.
 *
 * @example
 * await runSteps([{ id: 'hi', title: 'Say hi', run: async () => ({ cached: true }) }], 'lines', console.log);
 */
export async function runSteps(
  steps: readonly Step[],
  mode: ProgressMode,
  write: (line: string) => void,
  signal?: AbortSignal,
  concurrency = 2,
): Promise<void> {
  if (mode !== 'tty') {
    await runScheduled(
      steps,
      concurrency,
      async (step) => {
        try {
          const { outcome, seconds } = await timed(step, signal);
          if (mode === 'lines') write(`✔ ${step.title}: ${describe(outcome, seconds)}`);
        } catch (error) {
          if (mode === 'lines') write(`✖ ${step.title}`);
          throw error;
        }
      },
      signal,
    );
    return;
  }
  await runWithListr(steps, concurrency, signal);
}

/** listr2 draws the tasks; the scheduler decides when each may start. */
async function runWithListr(steps: readonly Step[], concurrency: number, signal?: AbortSignal) {
  const gates = new Map(steps.map((step) => [step.id, { go: deferred(), finished: deferred() }]));
  const scheduled = runScheduled(
    steps,
    concurrency,
    async (step) => {
      const gate = gates.get(step.id)!;
      gate.go.resolve();
      await gate.finished.promise;
    },
    signal,
  );
  // Steps that will never start (an earlier one failed) are told so.
  void scheduled
    .catch(() => undefined)
    .finally(() => {
      for (const gate of gates.values()) gate.go.reject(new Error('not started'));
    });
  const list = new Listr(
    steps.map((step) => ({
      title: step.title,
      task: async (
        _: unknown,
        task: { title: string; output: string; skip(message: string): void },
      ) => {
        const gate = gates.get(step.id)!;
        try {
          await gate.go.promise;
        } catch {
          task.skip(`${step.title}: not started, an earlier step failed`);
          return;
        }
        try {
          const { outcome, seconds } = await timed(step, signal, (line) => {
            task.output = line;
          });
          task.title = `${step.title}: ${describe(outcome, seconds)}`;
          gate.finished.resolve();
        } catch (error) {
          gate.finished.reject(error);
          throw error;
        }
      },
    })),
    { concurrent: true, exitOnError: false, rendererOptions: { collapseErrors: false } },
  );
  await list.run();
  await scheduled;
}

async function timed(step: Step, signal?: AbortSignal, onLine?: (line: string) => void) {
  signal?.throwIfAborted();
  const started = performance.now();
  try {
    const outcome = await step.run({ signal, onLine });
    return { outcome, seconds: ((performance.now() - started) / 1000).toFixed(1) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${step.title} failed: ${message}`, { cause: error });
  }
}

function describe(outcome: StepOutcome, seconds: string): string {
  return `${outcome.cached ? 'cached' : 'done'}${outcome.note ? `, ${outcome.note}` : ''} (${seconds}s)`;
}

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
