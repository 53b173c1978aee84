import type { Sandbox } from '../sandbox/driver.ts';
import type { Replay, SandboxSource } from './sandbox-source.ts';
import type { LiveSession } from './session.ts';

/** Raised inside a provisioning that a newer reset/goto replaced. */
export class Superseded extends Error {
  constructor() {
    super('A newer reset or goto replaced this sandbox.');
  }
}

export interface ProvisioningDeps {
  source: SandboxSource;
  replay: Replay | undefined;
  now: () => number;
  log: (message: string) => void;
  /** True once the server is shutting down. */
  closed: () => boolean;
  destroyQuietly: (sandboxId: string) => Promise<void>;
  /** The session got a new ready sandbox. */
  onReady: (sessionId: string) => void;
}

/**
 * Start (or restart) getting a sandbox for `s`, optionally replayed up to a step: the one
 * place a session's sandbox generation changes. A newer call supersedes an older one, whose
 * sandbox is given back. The returned promise never rejects unhandled.
 *
 * @example
 * provision(session, { lesson: 'first-containers', step: 'logs' }, deps);
 */
export function provision(
  s: LiveSession,
  target: { lesson: string; step: string } | undefined,
  deps: ProvisioningDeps,
): Promise<Sandbox> {
  s.abort?.abort(new Superseded());
  const ac = new AbortController();
  s.abort = ac;
  const generation = ++s.generation;
  const oldId = s.row.sandboxId;
  s.current = undefined;
  // In memory at once (readers see "starting" now); the store write is awaited below.
  const starting = s.patch({
    state: 'starting',
    message: null,
    sandboxId: null,
    ...(target ? { lesson: target.lesson, step: target.step } : {}),
  });
  // Handled below, after the old sandbox is gone; marked handled now so Node does not see an
  // unhandled rejection meanwhile.
  starting.catch(() => undefined);
  const stale = () => generation !== s.generation;
  const pending = (async () => {
    if (oldId) await deps.destroyQuietly(oldId);
    let sandbox: Sandbox | undefined;
    try {
      await starting;
      sandbox = await deps.source.acquire(s.id, ac.signal);
      if (stale()) throw new Superseded();
      await s.patch({ sandboxId: sandbox.id });
      await sandbox.ready(ac.signal);
      if (target) await deps.replay?.(sandbox, target.lesson, target.step, { signal: ac.signal });
      if (stale()) throw new Superseded();
      s.current = sandbox;
      // The idle clock starts when the learner can use the sandbox, not when they asked.
      await s.patch({
        state: 'ready',
        lastActivityAt: Math.max(s.row.lastActivityAt, deps.now()),
      });
      deps.onReady(s.id);
      return sandbox;
    } catch (error) {
      // Shutting down: leave the row "starting"; the next start re-provisions it and removes
      // any half-made sandbox as an orphan.
      if (deps.closed()) throw error;
      if (stale() || error instanceof Superseded) {
        // The newer provisioning destroys what we recorded; give back what we did not.
        if (sandbox && s.row.sandboxId !== sandbox.id) await deps.destroyQuietly(sandbox.id);
        throw new Superseded();
      }
      const reason = (error as Error).message;
      deps.log(`session ${s.id}: sandbox failed: ${reason}`);
      const failed = s.patch({
        state: 'failed',
        sandboxId: null,
        message: target
          ? `Could not bring the sandbox to step "${target.step}" of "${target.lesson}": ${reason}. Reset the session or go to the step again.`
          : `Could not start your sandbox: ${reason}. Reset the session to try again; if it keeps failing, the operator should run \`handson doctor\`.`,
      });
      // The learner sees the failure from memory; a store that refuses it too is only logged.
      await failed.catch((e: Error) => deps.log(`session ${s.id}: ${e.message}`));
      if (sandbox) await deps.destroyQuietly(sandbox.id);
      throw error;
    }
  })();
  pending.catch(() => {});
  s.pending = pending;
  return pending;
}
