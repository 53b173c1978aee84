import { MAIN_TERMINAL, TERMINAL_LIMITS } from '#contracts/terminal-protocol.ts';
import type { Sandbox } from '../sandbox/driver.ts';
import { openTerminal } from './open-terminal.ts';
import { DEFAULT_TERMINAL_SIZE } from './prestarted-shells.ts';
import type { TerminalSession } from './terminal-session.ts';

/** Refused: the session already runs as many shells as it may. */
export class TooManyTerminals extends Error {}

/**
 * The main shell started ahead in sandbox `sandboxId`, if there is one (prestarted-shells.ts);
 * the registry owns it once it has it.
 */
export type TakePrestarted = (sandboxId: string) => Promise<TerminalSession | undefined>;

/**
 * The terminals of one session, by id, at most `maxTerminals` running at once. Opening an id
 * that is running returns it; opening one
 * whose shell exited starts a new shell (so `exit`, then a new ticket, gives a fresh prompt).
 * The first open of the main terminal takes the shell started ahead in the sandbox, if any.
 * After a server restart the first open of an id re-attaches its tmux session in the sandbox.
 *
 * @example
 * const terminals = new TerminalRegistry(() => session.sandbox());
 * const main = await terminals.open(); // 'main'
 * await terminals.closeAll();          // when the session ends
 */
export class TerminalRegistry {
  private readonly terminals = new Map<string, TerminalSession>();
  private readonly opening = new Map<string, Promise<TerminalSession>>();
  private closed = false;
  private sandboxInUse: Sandbox | undefined;

  constructor(
    private readonly sandbox: () => Promise<Sandbox>,
    private readonly size: { cols: number; rows: number } = DEFAULT_TERMINAL_SIZE,
    private readonly prestarted?: TakePrestarted,
    private readonly maxTerminals: number = TERMINAL_LIMITS.maxTerminalsPerSession,
  ) {}

  /** Whether `open(id)` may run: the terminal exists or is starting, or there is room for one more. */
  admits(id: string = MAIN_TERMINAL): boolean {
    if (this.get(id) || this.opening.has(id)) return true;
    const running = new Set([...this.opening.keys()]);
    for (const [key, term] of this.terminals) if (term.alive) running.add(key);
    return running.size < this.maxTerminals;
  }

  get(id: string): TerminalSession | undefined {
    const term = this.terminals.get(id);
    return term?.alive ? term : undefined;
  }

  ids(): string[] {
    return [...this.terminals.keys()];
  }

  /** The sandbox the running terminals are in, while any runs. */
  runningIn(): Sandbox | undefined {
    if (this.closed || ![...this.terminals.values()].some((t) => t.alive)) return undefined;
    return this.sandboxInUse;
  }

  /** Show `text` in every running terminal (limit-watch.ts). */
  notice(text: string): void {
    for (const term of this.terminals.values()) term.notice(text);
  }

  open(id: string = MAIN_TERMINAL): Promise<TerminalSession> {
    if (this.closed) return Promise.reject(new Error('the session has ended'));
    const live = this.get(id);
    if (live) return Promise.resolve(live);
    if (!this.admits(id)) {
      return Promise.reject(
        new TooManyTerminals(
          `this session already runs ${this.maxTerminals} terminals; exit one of them first`,
        ),
      );
    }
    // Two tickets redeemed at once must share one shell, not start two.
    let pending = this.opening.get(id);
    if (!pending) {
      pending = this.start(id).finally(() => this.opening.delete(id));
      this.opening.set(id, pending);
    }
    return pending;
  }

  /** Kill every shell of the session. */
  closeAll(): Promise<void> {
    return this.shutDown((t) => t.close());
  }

  /** Let go of every shell without ending it (server shutdown: tmux keeps them). */
  releaseAll(): Promise<void> {
    return this.shutDown((t) => t.release());
  }

  private async shutDown(how: (t: TerminalSession) => Promise<void>): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.opening.values()]);
    const all = [...this.terminals.values()];
    this.terminals.clear();
    await Promise.allSettled(all.map(how));
  }

  private async start(id: string): Promise<TerminalSession> {
    const sandbox = await this.sandbox();
    this.sandboxInUse = sandbox;
    const ahead = id === MAIN_TERMINAL ? await this.prestarted?.(sandbox.id) : undefined;
    const term = ahead ?? (await openTerminal(sandbox, { id, ...this.size }));
    if (this.closed) {
      await term.close();
      throw new Error('the session has ended');
    }
    this.terminals.set(id, term);
    term.onExit(() => {
      if (this.terminals.get(id) === term) this.terminals.delete(id);
      void term.close();
    });
    return term;
  }
}
