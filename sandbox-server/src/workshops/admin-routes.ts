import { Hono, type MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import { MAIN_TERMINAL } from '#contracts/terminal-protocol.ts';
import {
  broadcastBody,
  createWorkshopBody,
  extendLearnerBody,
  gotoLearnerBody,
} from '#contracts/workshop.ts';
import { jsonLimit } from '../http/body-limit.ts';
import { clientAddress } from '../http/client-address.ts';
import { DomainError } from '../http/domain-error.ts';
import type { OwnerForwarding } from '../http/owner-forwarding.ts';
import { validJson } from '../http/validate.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import type { TerminalHub } from '../terminal/terminal-hub.ts';
import { requireAdmin } from './admin-auth.ts';
import { dashboardEvents } from './event-streams.ts';
import { resultsCsv } from './results-csv.ts';
import type { WorkshopService } from './workshop-service.ts';

/** What the instructor's workshop routes use of the server. */
export interface AdminRouteDeps {
  workshops: WorkshopService;
  sessions: SessionManager;
  terminals: TerminalHub;
  adminToken: string;
  /** A replica of a cluster: passes an action on a learner held by another replica to it. */
  forwarding?: OwnerForwarding;
}

/**
 * The instructor's side of workshops (sandbox-server/API.md), every route behind the admin
 * token: create, list, the dashboard and its live stream, a learner's reset / goto / extend /
 * read-only terminal, broadcast, end, results as CSV.
 *
 * @example
 * app.route('/', adminRoutes({ workshops, sessions, terminals, adminToken }));
 */
export function adminRoutes({
  workshops,
  sessions,
  terminals,
  adminToken,
  forwarding,
}: AdminRouteDeps): Hono {
  const app = new Hono();
  // Per route, not `use('*')`: a wildcard middleware here would guard every route of the server.
  const admin = requireAdmin(adminToken);
  const owner = atOwner(workshops, sessions, forwarding);
  const learner = (c: { req: { param(name: string): string } }) =>
    workshops.learnerSession(c.req.param('id'), c.req.param('learner'));

  app.post('/api/workshops', jsonLimit, admin, validJson(createWorkshopBody), async (c) =>
    c.json(await workshops.create(c.var.body), 201),
  );

  app.get('/api/workshops', admin, async (c) => c.json({ workshops: await workshops.list() }));

  app.get('/api/workshops/:id', admin, async (c) =>
    c.json(await workshops.view(await workshops.get(c.req.param('id')))),
  );

  app.get('/api/workshops/:id/learners', admin, async (c) =>
    c.json(await workshops.snapshot(c.req.param('id'))),
  );

  app.get('/api/workshops/:id/events', admin, async (c) => {
    const id = c.req.param('id');
    await workshops.get(id);
    return streamSSE(c, (stream) => dashboardEvents(stream, workshops, id, c.req.raw.signal));
  });

  app.post('/api/workshops/:id/learners/:learner/reset', jsonLimit, admin, owner, async (c) =>
    c.json(await sessions.reset(await learner(c), c.req.raw.signal)),
  );

  app.post(
    '/api/workshops/:id/learners/:learner/goto',
    jsonLimit,
    admin,
    owner,
    validJson(gotoLearnerBody),
    async (c) => {
      const { lesson, step } = c.var.body;
      return c.json(await sessions.goto(await learner(c), lesson, step, c.req.raw.signal));
    },
  );

  app.post(
    '/api/workshops/:id/learners/:learner/extend',
    jsonLimit,
    admin,
    owner,
    validJson(extendLearnerBody),
    async (c) => {
      const { id, learner } = c.req.param();
      return c.json(await workshops.extendLearner(id, learner, c.var.body.minutes ?? 15));
    },
  );

  // The instructor watches a learner's main terminal: a read-only ticket, never a writer.
  app.post('/api/workshops/:id/learners/:learner/terminal', jsonLimit, admin, owner, async (c) => {
    const s = await learner(c);
    const registry = terminals.registry(s.id);
    if (!registry) throw new DomainError('gone', 'session_gone', 'The learner has no session now.');
    registry.open(MAIN_TERMINAL).catch(() => undefined);
    const ticket = terminals.tickets.issue({
      sessionId: s.id,
      terminal: MAIN_TERMINAL,
      mode: 'read',
    });
    return c.json({ ticket, terminal: MAIN_TERMINAL, session: s.id, mode: 'read' });
  });

  app.post('/api/workshops/:id/broadcast', jsonLimit, admin, validJson(broadcastBody), async (c) =>
    c.json(await workshops.broadcast(c.req.param('id'), c.var.body.text), 201),
  );

  app.post('/api/workshops/:id/end', jsonLimit, admin, async (c) =>
    c.json(await workshops.end(c.req.param('id'))),
  );

  app.get('/api/workshops/:id/results.csv', admin, async (c) => {
    const snapshot = await workshops.snapshot(c.req.param('id'));
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header(
      'Content-Disposition',
      `attachment; filename="workshop-${snapshot.workshop.code}.csv"`,
    );
    return c.body(resultsCsv(snapshot));
  });

  return app;
}

/**
 * Before an action on one learner: it runs on the replica holding their session. Here when this
 * process holds it, or takes it over because its owner died (`arrive`); else the owner's answer,
 * passed back unchanged. A single server holds every session, so it always serves the action.
 * Served here, the answer names the session (`X-Handson-Session`), so the load balancer sends the
 * session's next requests (the watching WebSocket too) to this replica.
 */
function atOwner(
  workshops: WorkshopService,
  sessions: SessionManager,
  forwarding: OwnerForwarding | undefined,
): MiddlewareHandler {
  return async (c, next) => {
    const { sessionId } = await workshops.learner(
      c.req.param('id') ?? '',
      c.req.param('learner') ?? '',
    );
    // Twice: an owner that died between the lookup and the forward is taken over the second time.
    for (let attempt = 0; attempt < 2; attempt++) {
      await sessions.arrive(sessionId);
      if (sessions.find(sessionId) || !forwarding) break;
      const url = new URL(c.req.url);
      const answer = await forwarding.toOwner(sessionId, {
        method: c.req.method,
        path: url.pathname + url.search,
        headers: c.req.raw.headers,
        // Bounded by jsonLimit; read through Hono so the handler can still parse it here.
        body: await c.req.arrayBuffer(),
        client: clientAddress(c),
        signal: c.req.raw.signal,
      });
      if (answer) return answer;
    }
    c.set('servedSession', sessionId);
    await next();
  };
}
