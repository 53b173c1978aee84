import { Hono } from 'hono';
import {
  MAIN_TERMINAL,
  TERMINAL_LIMITS,
  ticketRequestSchema,
} from '#contracts/terminal-protocol.ts';
import { sessionAuth } from '../http/bearer-auth.ts';
import { jsonLimit } from '../http/body-limit.ts';
import { DomainError } from '../http/domain-error.ts';
import { validJson } from '../http/validate.ts';
import type { TerminalHub, TerminalSessions } from './terminal-hub.ts';
import { TooManyTickets } from './ticket-store.ts';

/** What the terminal routes use of the server. */
export interface TerminalRouteDeps {
  sessions: TerminalSessions;
  terminals: TerminalHub;
}

const tooManyTerminals = () =>
  new DomainError(
    'rate_limited',
    'too_many_terminals',
    `This session already runs ${TERMINAL_LIMITS.maxTerminalsPerSession} terminals. Type \`exit\` in one of them, then try again.`,
    { retryAfterSeconds: 5 },
  );

/**
 * `POST /api/sessions/:id/terminals {terminal?, mode}` → `{ticket, terminal}`: trades the
 * session's bearer token for a single-use WebSocket ticket (~30 s). The shell is started right
 * away so it boots while the browser opens the socket.
 *
 * @example
 * app.route('/', terminalRoutes({ sessions, terminals }));
 */
export function terminalRoutes({ sessions, terminals }: TerminalRouteDeps): Hono {
  const app = new Hono();

  app.post(
    '/api/sessions/:id/terminals',
    jsonLimit,
    sessionAuth(sessions),
    validJson(ticketRequestSchema),
    (c) => {
      const { session, body } = c.var;
      const terminal = body.terminal ?? MAIN_TERMINAL;
      const registry = terminals.registry(session.id);
      if (!registry) throw new DomainError('not_found', 'not_found', `no session ${session.id}`);
      if (!registry.admits(terminal)) throw tooManyTerminals();
      session.touch();
      // Start (or re-attach) the shell now; a failure shows up again when the socket opens.
      registry.open(terminal).catch(() => undefined);
      let ticket: string;
      try {
        ticket = terminals.tickets.issue({ sessionId: session.id, terminal, mode: body.mode });
      } catch (error) {
        const retry = error instanceof TooManyTickets ? error.retryAfterSeconds : 30;
        throw new DomainError('rate_limited', 'too_many_tickets', (error as Error).message, {
          retryAfterSeconds: retry,
        });
      }
      return c.json({ ticket, terminal });
    },
  );

  return app;
}
