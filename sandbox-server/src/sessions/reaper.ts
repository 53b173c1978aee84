import { setTimeout as sleep } from 'node:timers/promises';
import type { SessionManager } from './session-manager.ts';

/**
 * Expire sessions every `intervalMs` until `signal` aborts (then `afterSweep`, for whatever
 * the freed sandboxes make room for). The only timer is the awaited
 * sleep, which the signal cancels, so stopping the server leaves nothing scheduled.
 *
 * @example
 * const stop = new AbortController();
 * const done = runReaper(manager, 15_000, stop.signal);
 * stop.abort(); await done;
 */
export async function runReaper(
  manager: SessionManager,
  intervalMs: number,
  signal: AbortSignal,
  log: (message: string) => void = () => {},
  afterSweep: () => void = () => {},
): Promise<void> {
  while (!signal.aborted) {
    try {
      await sleep(intervalMs, undefined, { signal });
    } catch {
      return; // aborted
    }
    try {
      await manager.reap();
    } catch (error) {
      // A failing sweep (engine briefly away) must not end the loop: the next one retries.
      log(`reaper: ${(error as Error).message}`);
    }
    afterSweep();
  }
}
