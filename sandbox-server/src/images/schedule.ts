/**
 * Runs steps as soon as the steps they need are done, at most `concurrency` at a time (two
 * image builds share a 2-core machine well; more only fight over the disk). After the first
 * failure nothing new starts; the first real error is what the run reports.
 */

export interface Scheduled {
  id: string;
  /** Ids of steps that must have finished first. */
  needs?: readonly string[];
}

/** A step that did not run because one it needs failed (never the reported error). */
class SkippedStep extends Error {}

/**
 * @example
 * await runScheduled(steps, 2, async (step) => { await step.run(); });
 */
export async function runScheduled<S extends Scheduled>(
  steps: readonly S[],
  concurrency: number,
  run: (step: S) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const done = new Map<string, Promise<void>>();
  let running = 0;
  let failed = false;
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    while (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
  };
  const release = () => {
    running--;
    waiting.shift()?.();
  };

  for (const step of steps) {
    const needs = (step.needs ?? []).map((id) => {
      const dependency = done.get(id);
      if (!dependency)
        throw new Error(`Step "${step.id}" needs "${id}", which is not planned before it.`);
      return dependency;
    });
    const finished = (async () => {
      try {
        await Promise.all(needs);
      } catch {
        throw new SkippedStep(step.id);
      }
      await acquire();
      try {
        if (failed) throw new SkippedStep(step.id);
        signal?.throwIfAborted();
        await run(step);
      } catch (error) {
        if (!(error instanceof SkippedStep)) failed = true;
        throw error;
      } finally {
        release();
      }
    })();
    finished.catch(() => undefined);
    done.set(step.id, finished);
  }
  const outcomes = await Promise.allSettled(done.values());
  const firstError = outcomes.find(
    (o): o is PromiseRejectedResult =>
      o.status === 'rejected' && !(o.reason instanceof SkippedStep),
  );
  if (firstError) throw firstError.reason;
}
