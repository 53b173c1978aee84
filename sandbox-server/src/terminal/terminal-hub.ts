import type { ServerContext } from '../server/context.ts';
import { TerminalRegistry } from './terminal-registry.ts';
import { TicketStore } from './ticket-store.ts';

/**
 * The terminal bridge's state for one server: tickets and each session's terminals. The HTTP
 * routes and the WebSocket upgrade handler share it through `terminalHub(ctx)`.
 */
export class TerminalHub {
  readonly tickets = new TicketStore();
  private readonly registries = new Map<string, TerminalRegistry>();

  constructor(private readonly ctx: ServerContext) {
    ctx.sessions.onEnd((sessionId) => void this.endSession(sessionId));
  }

  /** The session's terminals, created on first use; undefined for an unknown session. */
  registry(sessionId: string): TerminalRegistry | undefined {
    let registry = this.registries.get(sessionId);
    if (!registry) {
      const session = this.ctx.sessions.find(sessionId);
      if (!session) return undefined;
      registry = new TerminalRegistry((signal?: AbortSignal) => session.sandbox(signal));
      this.registries.set(sessionId, registry);
    }
    return registry;
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
    await Promise.allSettled(all.map((r) => r.releaseAll()));
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
