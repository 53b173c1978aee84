import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { MAIN_TERMINAL } from '../contracts/terminal-protocol.ts';
import {
  broadcastBody,
  createWorkshopBody,
  extendLearnerBody,
  gotoLearnerBody,
  joinWorkshopBody,
} from '../contracts/workshop.ts';
import { clientAddress } from '../http/client-address.ts';
import { HttpError } from '../http/http-error.ts';
import { jsonBody } from '../http/validate.ts';
import { setLearnerCookie } from '../progress/learner-cookie.ts';
import { requireSession } from '../server/auth.ts';
import type { ServerContext } from '../server/context.ts';
import { jsonLimit } from '../sessions/routes.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { terminalHub } from '../terminal/terminal-hub.ts';
import { requireAdmin } from './admin-auth.ts';
import { resultsCsv } from './results-csv.ts';
import type { WorkshopService } from './workshop-service.ts';
import { WrongCodeBudget } from './wrong-code-budget.ts';

/** A dashboard is re-sent at most this often while learners are busy… */
const DASHBOARD_THROTTLE_MS = 300;
/** …and at least this often anyway, so "time on step" keeps counting. */
const DASHBOARD_TICK_MS = 5000;

export interface WorkshopRouteDeps {
  ctx: ServerContext;
  workshops: WorkshopService;
  manager: SessionManager;
  adminToken: string;
}

const tooManyWrongCodes = (wait: number) =>
  new HttpError(
    429,
    'too_many_wrong_codes',
    `Too many wrong join codes. Try again in ${wait} s; the right code always works.`,
    { 'Retry-After': String(wait) },
  );

/**
 * The workshop API (sandbox-server/API.md): admin routes behind the admin token, `join` for
 * learners, and each learner's event stream (instructor messages, the workshop's end).
 *
 * @example
 * app.route('/', workshopRoutes({ ctx, workshops, manager, adminToken }));
 */
export function workshopRoutes({ ctx, workshops, manager, adminToken }: WorkshopRouteDeps): Hono {
  const app = new Hono();

  // A class behind one NAT joins from one address, so joins are not limited; wrong codes are.
  const wrongCodes = new WrongCodeBudget();

  app.post('/api/workshops/join', jsonLimit, async (c) => {
    const body = await jsonBody(c, joinWorkshopBody);
    let joined: ReturnType<typeof workshops.join>;
    try {
      joined = workshops.join(body);
    } catch (error) {
      if (error instanceof HttpError && error.code === 'unknown_code') {
        const wait = wrongCodes.spend(clientAddress(c));
        if (wait > 0) throw tooManyWrongCodes(wait);
      }
      throw error;
    }
    // The browser keeps this learner for progress on the course index too.
    setLearnerCookie(c, joined.learner);
    return c.json(joined, 201);
  });

  app.get('/api/sessions/:id/events', (c) => {
    const session = requireSession(c, ctx.sessions);
    const live = manager.find(session.id);
    const workshop = live && workshops.workshopOf(live);
    if (!workshop) {
      throw new HttpError(404, 'not_in_workshop', 'This session does not belong to a workshop.');
    }
    return streamSSE(c, async (stream) => {
      const state = () => (workshops.running(workshops.get(workshop.id)) ? 'running' : 'ended');
      const send = (data: unknown, event: string) =>
        stream.writeSSE({ event, data: JSON.stringify(data) });
      await send(
        {
          type: 'workshop',
          title: workshop.title,
          endsAt: new Date(workshop.endsAt).toISOString(),
          state: state(),
        },
        'workshop',
      );
      for (const m of workshops.messages(workshop.id)) {
        await send(
          { type: 'message', id: m.id, text: m.text, sentAt: new Date(m.sentAt).toISOString() },
          'message',
        );
      }
      const queue: Promise<unknown>[] = [];
      const off = workshops.onChange((change) => {
        if (change.workshopId !== workshop.id) return;
        if (change.type === 'message') {
          queue.push(
            send(
              {
                type: 'message',
                id: change.id,
                text: change.text,
                sentAt: new Date(change.sentAt).toISOString(),
              },
              'message',
            ),
          );
        } else if (change.type === 'ended') {
          const w = workshops.get(workshop.id);
          queue.push(
            send(
              {
                type: 'workshop',
                title: w.title,
                endsAt: new Date(w.endsAt).toISOString(),
                state: 'ended',
              },
              'workshop',
            ),
          );
        }
      });
      stream.onAbort(off);
      await keepAlive(stream, c.req.raw.signal);
      off();
    });
  });

  // Per route, not `use('*')`: a wildcard middleware here would guard every route of the server.
  const admin = requireAdmin(adminToken);

  app.post('/api/workshops', admin, jsonLimit, async (c) => {
    const body = await jsonBody(c, createWorkshopBody);
    return c.json(await workshops.create(body), 201);
  });

  app.get('/api/workshops', admin, (c) => c.json({ workshops: workshops.list() }));

  app.get('/api/workshops/:id', admin, (c) =>
    c.json(workshops.view(workshops.get(c.req.param('id')))),
  );

  app.get('/api/workshops/:id/learners', admin, async (c) =>
    c.json(await workshops.snapshot(c.req.param('id'))),
  );

  app.get('/api/workshops/:id/events', admin, async (c) => {
    const id = c.req.param('id');
    workshops.get(id);
    return streamSSE(c, async (stream) => {
      let timer: NodeJS.Timeout | undefined;
      let sending = Promise.resolve();
      const push = () => {
        timer = undefined;
        sending = sending
          .then(async () => {
            const snapshot = await workshops.snapshot(id);
            await stream.writeSSE({ event: 'dashboard', data: JSON.stringify(snapshot) });
          })
          .catch(() => undefined);
      };
      const schedule = () => {
        timer ??= setTimeout(push, DASHBOARD_THROTTLE_MS);
      };
      const off = workshops.onChange((change) => {
        if (change.workshopId === id) schedule();
      });
      const tick = setInterval(schedule, DASHBOARD_TICK_MS);
      stream.onAbort(() => {
        off();
        clearInterval(tick);
        clearTimeout(timer);
      });
      push();
      await keepAlive(stream, c.req.raw.signal);
      off();
      clearInterval(tick);
      clearTimeout(timer);
    });
  });

  const learner = (c: { req: { param(name: string): string } }) =>
    workshops.learnerSession(c.req.param('id'), c.req.param('learner'));

  app.post('/api/workshops/:id/learners/:learner/reset', admin, jsonLimit, async (c) =>
    c.json(await manager.reset(learner(c), c.req.raw.signal)),
  );

  app.post('/api/workshops/:id/learners/:learner/goto', admin, jsonLimit, async (c) => {
    const s = learner(c);
    const { lesson, step } = await jsonBody(c, gotoLearnerBody);
    return c.json(await manager.goto(s, lesson, step, c.req.raw.signal));
  });

  app.post('/api/workshops/:id/learners/:learner/extend', admin, jsonLimit, async (c) => {
    const { minutes } = await jsonBody(c, extendLearnerBody);
    return c.json(
      workshops.extendLearner(c.req.param('id'), c.req.param('learner'), minutes ?? 15),
    );
  });

  // The instructor watches a learner's main terminal: a read-only ticket, never a writer.
  app.post('/api/workshops/:id/learners/:learner/terminal', admin, jsonLimit, (c) => {
    const s = learner(c);
    const hub = terminalHub(ctx);
    const registry = hub.registry(s.id);
    if (!registry) throw new HttpError(410, 'session_gone', 'The learner has no session now.');
    registry.open(MAIN_TERMINAL).catch(() => undefined);
    const ticket = hub.tickets.issue({ sessionId: s.id, terminal: MAIN_TERMINAL, mode: 'read' });
    return c.json({ ticket, terminal: MAIN_TERMINAL, session: s.id, mode: 'read' });
  });

  app.post('/api/workshops/:id/broadcast', admin, jsonLimit, async (c) => {
    const { text } = await jsonBody(c, broadcastBody);
    return c.json(workshops.broadcast(c.req.param('id'), text), 201);
  });

  app.post('/api/workshops/:id/end', admin, jsonLimit, async (c) =>
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

/** Comment lines every 15 s keep proxies from closing a quiet stream; ends with the request. */
async function keepAlive(
  stream: { writeln(text: string): Promise<unknown>; closed: boolean; aborted: boolean },
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted && !stream.closed && !stream.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 15_000);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
    if (!signal.aborted) await stream.writeln(': keep-alive\n').catch(() => undefined);
  }
}
