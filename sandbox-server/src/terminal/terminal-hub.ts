import type { Sandbox } from '../sandbox/driver.ts';
import type { ServerContext } from '../server/context.ts';
import { DEFAULT_TERMINAL_SIZE, PrestartedShells } from './prestarted-shells.ts';
import { TerminalRegistry } from './terminal-registry.ts';
import { TicketStore } from './ticket-store.ts';

/**
 * The terminal bridge's state for one server: tickets, each session's terminals, and the main
 * shells started ahead in booted sandboxes. The HTTP routes, the WebSocket upgrade handler and
 * the warm pool share it through `terminalHub(ctx)`.
 */
export class TerminalHub {
  readonly tickets = new TicketStore();
  private readonly registries = new Map<string, TerminalRegistry>();
  private readonly prestarted = new PrestartedShells();

  constructor(private readonly ctx: ServerContext) {
    ctx.sessions.onEnd((sessionId) => void this.endSession(sessionId));
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
