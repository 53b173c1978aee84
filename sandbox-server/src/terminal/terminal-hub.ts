import type { Sandbox } from '../sandbox/driver.ts';
import type { ServerContext } from '../server/context.ts';
import { DEFAULT_TERMINAL_SIZE, PrestartedShells } from './prestarted-shells.ts';
import { TerminalRegistry } from './terminal-registry.ts';
import { TicketStore } from './ticket-store.ts';

/** What the hub needs of a socket to end it. */
export interface Closable {
  close(code: number, reason: string): void;
}

/**
 * The terminal bridge's state for one server: tickets, each session's terminals, and the main
 * shells started ahead in booted sandboxes. The HTTP routes, the WebSocket upgrade handler and
 * the warm pool share it through `terminalHub(ctx)`.
 */
export class TerminalHub {
  readonly tickets = new TicketStore();
  private readonly registries = new Map<string, TerminalRegistry>();
  private readonly prestarted = new PrestartedShells();
  /** Each session's open writer sockets, closed when its token is replaced. */
  private readonly writers = new Map<string, Set<Closable>>();

  constructor(private readonly ctx: ServerContext) {
    ctx.sessions.onEnd((sessionId) => void this.endSession(sessionId));
    ctx.sessions.onTokenRotated?.((sessionId) => this.revokeGrants(sessionId));
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
      const session = this.ctx.sessions.find(sessionId);
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
   * const pool = new WarmPool(driver, { prepare: (s) => terminalHub(ctx).prestart(s) });
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

const hubs = new WeakMap<ServerContext, TerminalHub>();

/**
 * The one `TerminalHub` of a server context.
 *
 * @example
 * const hub = terminalHub(ctx);
 * const term = await hub.registry(sessionId)?.open('main');
 */
export function terminalHub(ctx: ServerContext): TerminalHub {
  let hub = hubs.get(ctx);
  if (!hub) {
    hub = new TerminalHub(ctx);
    hubs.set(ctx, hub);
  }
  return hub;
}
