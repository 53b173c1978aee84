import type { SessionAuthority } from '../http/bearer-auth.ts';
import type { Sandbox } from '../sandbox/driver.ts';
import { DEFAULT_TERMINAL_SIZE, PrestartedShells } from './prestarted-shells.ts';
import { TerminalRegistry } from './terminal-registry.ts';
import { TicketStore } from './ticket-store.ts';

/** What the terminal bridge needs of a session (the session room's handles fit it). */
export interface TerminalSessionRef {
  readonly id: string;
  sandbox(signal?: AbortSignal): Promise<Sandbox>;
  touch(): void;
}

/** What the terminal bridge needs of the sessions: auth, lookup, and word of their end. */
export interface TerminalSessions extends SessionAuthority<TerminalSessionRef> {
  find(id: string): TerminalSessionRef | undefined;
  onEnd(listener: (sessionId: string) => void): void;
}

/**
 * The terminal bridge's state for one server: tickets, each session's terminals, and the main
 * shells started ahead in booted sandboxes. The server makes one and hands it to the HTTP
 * routes, the WebSocket upgrade handler and the warm pool.
 *
 * @example
 * const terminals = new TerminalHub(sessions);
 * const term = await terminals.registry(sessionId)?.open('main');
 */
export class TerminalHub {
  readonly tickets = new TicketStore();
  private readonly registries = new Map<string, TerminalRegistry>();
  private readonly prestarted = new PrestartedShells();

  constructor(private readonly sessions: TerminalSessions) {
    sessions.onEnd((sessionId) => void this.endSession(sessionId));
  }

  /** The session's terminals, created on first use; undefined for an unknown session. */
  registry(sessionId: string): TerminalRegistry | undefined {
    let registry = this.registries.get(sessionId);
    if (!registry) {
      const session = this.sessions.find(sessionId);
      if (!session) return undefined;
      registry = new TerminalRegistry(
        (signal?: AbortSignal) => session.sandbox(signal),
        DEFAULT_TERMINAL_SIZE,
        (sandboxId) => this.prestarted.take(sandboxId),
      );
      this.registries.set(sessionId, registry);
    }
    return registry;
  }

  /**
   * Start `sandbox`'s main shell before anyone asks (a sandbox booted ahead), so its learner's
   * first open attaches instead of starting one. Resolves once it runs.
   *
   * @example
   * const pool = new WarmPool(driver, { prepare: (s) => terminals.prestart(s) });
   */
  prestart(sandbox: Sandbox): Promise<void> {
    return this.prestarted.start(sandbox);
  }

  async endSession(sessionId: string): Promise<void> {
    this.tickets.revokeSession(sessionId);
    const registry = this.registries.get(sessionId);
    this.registries.delete(sessionId);
    await registry?.closeAll();
  }

  /** Let go of every terminal (server shutdown); shells survive in their tmux sessions. */
  async releaseAll(): Promise<void> {
    const all = [...this.registries.values()];
    this.registries.clear();
    await Promise.allSettled([...all.map((r) => r.releaseAll()), this.prestarted.releaseAll()]);
  }
}
