import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { joinWorkshopBody } from '#contracts/workshop.ts';
import { sessionAuth } from '../http/bearer-auth.ts';
import { jsonLimit } from '../http/body-limit.ts';
import { clientAddress } from '../http/client-address.ts';
import { DomainError } from '../http/domain-error.ts';
import { setLearnerCookie } from '../http/learner-cookie.ts';
import { validJson } from '../http/validate.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { learnerEvents } from './event-streams.ts';
import type { WorkshopService } from './workshop-service.ts';
import { WrongCodeBudget } from './wrong-code-budget.ts';

const tooManyWrongCodes = (wait: number) =>
  new DomainError(
    'rate_limited',
    'too_many_wrong_codes',
    `Too many wrong join codes. Try again in ${wait} s; the right code always works.`,
    { retryAfterSeconds: wait },
  );

/** What the learners' workshop routes use of the server. */
export interface LearnerRouteDeps {
  workshops: WorkshopService;
  sessions: SessionManager;
  /** Wrong join codes per address, shared by replicas; default this process's memory. */
  wrongCodes?: WrongCodeBudget;
}

/**
 * The learners' side of a workshop: `POST /api/workshops/join` and each learner's event stream
 * `GET /api/sessions/:id/events` (instructor messages, the workshop's end).
 *
 * @example
 * app.route('/', learnerRoutes({ workshops, sessions }));
 */
export function learnerRoutes({ workshops, sessions, wrongCodes }: LearnerRouteDeps): Hono {
  const app = new Hono();

  // A class behind one NAT joins from one address, so joins are not limited; wrong codes are.
  const budget = wrongCodes ?? new WrongCodeBudget();

  app.post('/api/workshops/join', jsonLimit, validJson(joinWorkshopBody), async (c) => {
    let joined: Awaited<ReturnType<typeof workshops.join>>;
    try {
      joined = await workshops.join(c.var.body);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'unknown_code') {
        const wait = await budget.spend(clientAddress(c));
        if (wait > 0) throw tooManyWrongCodes(wait);
      }
      throw error;
    }
    // The browser keeps this learner for progress on the course index too.
    setLearnerCookie(c, joined.learner);
    return c.json(joined, 201);
  });

  app.get('/api/sessions/:id/events', sessionAuth(sessions), async (c) => {
    const live = sessions.find(c.var.session.id);
    const workshop = live && (await workshops.workshopOf(live));
    if (!workshop) {
      throw new DomainError(
        'not_found',
        'not_in_workshop',
        'This session does not belong to a workshop.',
      );
    }
    return streamSSE(c, (stream) => learnerEvents(stream, workshops, workshop, c.req.raw.signal));
  });

  return app;
}
