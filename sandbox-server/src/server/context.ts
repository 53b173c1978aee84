import type { CheckRouteDeps } from '../checks/routes.ts';
import type { OriginPolicy } from '../http/origin-policy.ts';
import type { OwnerForwarding } from '../http/owner-forwarding.ts';
import type { ProgressRouteDeps } from '../progress/routes.ts';
import type { SessionRouteDeps } from '../sessions/routes.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import type { TerminalRouteDeps } from '../terminal/routes.ts';
import type { TerminalHub } from '../terminal/terminal-hub.ts';
import type { TerminalSocketDeps } from '../terminal/terminal-socket.ts';
import type { WorkshopService } from '../workshops/workshop-service.ts';
import type { WrongCodeBudget } from '../workshops/wrong-code-budget.ts';

/**
 * What the server hands its route modules: exactly what they use, built once by
 * `startServer` (or a test harness). Each feature's `routes.ts` names its own slice
 * (`CheckRouteDeps`, …); this is their union, so a module takes `ctx` as it is.
 */
export interface ServerContext
  extends SessionRouteDeps,
    CheckRouteDeps,
    ProgressRouteDeps,
    TerminalRouteDeps,
    TerminalSocketDeps {
  sessions: SessionManager;
  terminals: TerminalHub;
  /** The origins (and so the Host names) this server answers: never the request's own Host. */
  origins: OriginPolicy;
  /**
   * The workshops, the instructor's admin token and the wrong-join-code budget (default: this
   * process's memory); absent on a server without workshops.
   */
  workshops?: { service: WorkshopService; adminToken: string; wrongCodes?: WrongCodeBudget };
  /**
   * A replica of a cluster: instructor actions and terminal WebSockets for sessions another
   * replica holds are passed on to it.
   */
  forwarding?: OwnerForwarding;
}
