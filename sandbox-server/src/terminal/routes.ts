import { Hono } from 'hono';
import {
  MAIN_TERMINAL,
  TERMINAL_LIMITS,
  ticketRequestSchema,
} from '../contracts/terminal-protocol.ts';
import { HttpError } from '../http/http-error.ts';
import type { ServerContext } from '../server/context.ts';
import { terminalHub } from './terminal-hub.ts';
import { TooManyTickets } from './ticket-store.ts';

const tooManyTerminals = () =>
  new HttpError(
    429,
    'too_many_terminals',
    `This session already runs ${TERMINAL_LIMITS.maxTerminalsPerSession} terminals. Type \`exit\` in one of them, then try again.`,
    { 'Retry-After': '5' },
  );

/**
 * `POST /api/sessions/:id/terminals {terminal?, mode}` → `{ticket, terminal}`: trades the
 * session's bearer token for a single-use WebSocket ticket (~30 s). The shell is started right
 * away so it boots while the browser opens the socket.
 *
 * @example
 * app.route('/', terminalRoutes(ctx));
 */
export function terminalRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  const hub = terminalHub(ctx);

  app.post('/api/sessions/:id/terminals', async (c) => {
    try {
      const header = c.req.header('authorization');
      const token = header?.match(/^Bearer\s+(.+)$/i)?.[1];
      const session = ctx.sessions.authorize(c.req.param('id'), token);
      const body = await c.req.json().catch(() => ({}));
      const parsed = ticketRequestSchema.safeParse(body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join('.') || 'body';
        throw new HttpError(400, 'bad_request', `field "${field}": ${issue?.message}`);
      }
      const terminal = parsed.data.terminal ?? MAIN_TERMINAL;
      const registry = hub.registry(session.id);
      if (!registry) throw new HttpError(404, 'not_found', `no session ${session.id}`);
      if (!registry.admits(terminal)) throw tooManyTerminals();
      session.touch();
      // Start (or re-attach) the shell now; a failure shows up again when the socket opens.
      registry.open(terminal).catch(() => undefined);
      let ticket: string;
      try {
        ticket = hub.tickets.issue({ sessionId: session.id, terminal, mode: parsed.data.mode });
      } catch (error) {
        const retry = error instanceof TooManyTickets ? error.retryAfterSeconds : 30;
        throw new HttpError(429, 'too_many_tickets', (error as Error).message, {
          'Retry-After': String(retry),
        });
      }
      return c.json({ ticket, terminal });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return c.json({ error: { code: error.code, message: error.message } }, error.status as 400, {
        ...error.headers,
      });
    }
  });

  return app;
}
