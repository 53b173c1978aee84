import { MAIN_TERMINAL } from '#contracts/terminal-protocol.ts';
import type { Sandbox } from '../sandbox/driver.ts';
import { openTerminal } from './open-terminal.ts';
import type { TerminalSession } from './terminal-session.ts';

/** The size a terminal starts at before its browser says its own (the writer resizes it). */
export const DEFAULT_TERMINAL_SIZE = { cols: 120, rows: 40 } as const;

interface Prestarted {
  shell: Promise<TerminalSession | undefined>;
  /** Stops this holder from closing the shell when it exits (once it is handed over). */
  forget?: () => void;
}

/**
 * Main shells started ahead, in sandboxes booted before their learner came (the warm pool, a
 * workshop's seats). Starting a shell is an Engine API exec, ~150 ms of the engine's CPU; a class
 * that joins together would queue for them. With the shell already running, a learner's first
 * open attaches to it: the prompt is there as soon as the socket is.
 *
 * A shell is held here until taken; one whose sandbox goes away (drained, destroyed) exits and
 * is dropped, so nothing needs telling.
 *
 * @example
 * const shells = new PrestartedShells();
 * await shells.start(sandbox);           // as the pool boots it
 * const main = await shells.take(sandbox.id); // the learner's first open
 */
export class PrestartedShells {
  private readonly held = new Map<string, Prestarted>();

  /**
   * Start `sandbox`'s main shell and hold it; resolves once it runs (or failed: the learner's
   * open then starts one the usual way, so a failure here is only reported).
   */
  async start(sandbox: Sandbox): Promise<void> {
    const entry: Prestarted = { shell: Promise.resolve(undefined) };
    entry.shell = openTerminal(sandbox, { id: MAIN_TERMINAL, ...DEFAULT_TERMINAL_SIZE }).then(
      (term) => {
        entry.forget = term.onExit(() => {
          if (this.held.get(sandbox.id) === entry) this.held.delete(sandbox.id);
          void term.close();
        });
        return term;
      },
      (error: unknown) => {
        if (this.held.get(sandbox.id) === entry) this.held.delete(sandbox.id);
        throw error;
      },
    );
    this.held.set(sandbox.id, entry);
    await entry.shell;
  }

  /**
   * The running main shell started ahead in sandbox `sandboxId` (waiting for one being started),
   * or undefined; the caller owns it from now on.
   */
  async take(sandboxId: string): Promise<TerminalSession | undefined> {
    const entry = this.held.get(sandboxId);
    if (!entry) return undefined;
    this.held.delete(sandboxId);
    const term = await entry.shell.catch(() => undefined);
    entry.forget?.();
    return term?.alive ? term : undefined;
  }

  /** Let go of every shell not taken (server shutdown), as the terminals' registries do. */
  async releaseAll(): Promise<void> {
    const all = [...this.held.values()];
    this.held.clear();
    await Promise.allSettled(
      all.map(async (entry) => {
        entry.forget?.();
        await (await entry.shell.catch(() => undefined))?.release();
      }),
    );
  }
}
