import type { Lang } from '#contracts/lang.ts';
import type { SessionAuthority } from '../http/bearer-auth.ts';
import type { Sandbox } from '../sandbox/driver.ts';
import { LimitWatch, type WatchedSession } from './limit-watch.ts';
import { DEFAULT_TERMINAL_SIZE, PrestartedShells } from './prestarted-shells.ts';
import { TerminalRegistry } from './terminal-registry.ts';
import { TicketStore } from './ticket-store.ts';

/** What the terminal bridge needs of a session (the session room's handles fit it). */
export interface TerminalSessionRef {
  readonly id: string;
  /** The learner's language: what the server itself says in their terminals is in it. */
  readonly lang: Lang;
  sandbox(signal?: AbortSignal): Promise<Sandbox>;
  touch(): void;
}

/** What the terminal bridge needs of the sessions: auth, lookup, and word of their end. */
export interface TerminalSessions extends SessionAuthority<TerminalSessionRef> {
  find(id: string): TerminalSessionRef | undefined;
  onEnd(listener: (sessionId: string) => void): void;
  /** Word that a session's token was replaced (its tickets and writers end). */
  onTokenRotated?(listener: (sessionId: string) => void): void;
}

/** What the hub needs of a socket to end it. */
export interface Closable {
  close(code: number, reason: string): void;
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
  /** Each session's open writer sockets, closed when its token is replaced. */
  private readonly writers = new Map<string, Set<Closable>>();
  /** Tells learners in their terminals when their sandbox hit a limit. */
  private readonly limits = new LimitWatch(() => this.watchedSessions());

  constructor(private readonly sessions: TerminalSessions) {
    sessions.onEnd((sessionId) => void this.endSession(sessionId));
    sessions.onTokenRotated?.((sessionId) => this.revokeGrants(sessionId));
  }

  /** Sessions with a terminal running, for the limit watch. */
  private watchedSessions(): WatchedSession[] {
    const watched: WatchedSession[] = [];
    for (const [sessionId, registry] of this.registries) {
      const sandbox = registry.runningIn();
      const session = this.sessions.find(sessionId);
      if (!sandbox || !session) continue;
      watched.push({ lang: session.lang, sandbox, notify: (text) => registry.notice(text) });
    }
    return watched;
  }

  /** Remember an open writer socket of the session until it closes. */
  trackWriter(sessionId: string, socket: Closable, closed: (listener: () => void) => void): void {
    let set = this.writers.get(sessionId);
    if (!set) {
      set = new Set();
      this.writers.set(sessionId, set);
    }
    set.add(socket);
    closed(() => {
      set.delete(socket);
      if (set.size === 0 && this.writers.get(sessionId) === set) this.writers.delete(sessionId);
    });
  }

  /**
   * The session's token was replaced: its unused tickets and open writers came from the old
   * one, so they end (4401 tells the client to ask again with its new token). Shells go on.
   */
  revokeGrants(sessionId: string): void {
    this.tickets.revokeSession(sessionId);
    for (const socket of this.writers.get(sessionId) ?? []) {
      socket.close(4401, 'the session token was replaced');
    }
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
      this.limits.start();
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
    this.limits.stop();
    const all = [...this.registries.values()];
    this.registries.clear();
    await Promise.allSettled([...all.map((r) => r.releaseAll()), this.prestarted.releaseAll()]);
  }
}
