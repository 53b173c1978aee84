import { Hono } from 'hono';
import { createSessionBody, gotoBody } from '#contracts/http-api.ts';
import { sessionAuth } from '../http/bearer-auth.ts';
import { jsonLimit } from '../http/body-limit.ts';
import { clientAddress } from '../http/client-address.ts';
import { DomainError } from '../http/domain-error.ts';
import { ensureLearnerCookie } from '../http/learner-cookie.ts';
import { validJson } from '../http/validate.ts';
import type { Limiter } from '../store/rate-limits.ts';
import type { SessionManager } from './session-manager.ts';
import { limitPerSession } from './session-rate-limit.ts';

/** The longest `GET /api/sessions/:id?wait=` holds a request. */
const MAX_WAIT_S = 30;

/** What the session routes use of the server. */
export interface SessionRouteDeps {
  sessions: SessionManager;
  /** Limits `POST /api/sessions` per client address (for every replica: `Store.limiter`). */
  createLimiter: Limiter;
}

/**
 * Session lifecycle routes: create (rate-limited per client, 503 at capacity; optionally at a
 * step), get, delete, reset, extend, goto.
 *
 * @example
 * app.route('/', sessionRoutes({ sessions: manager, createLimiter: new RateLimiter({ burst: 5, perMinute: 10 }) }));
 */
export function sessionRoutes({ sessions: manager, createLimiter }: SessionRouteDeps): Hono {
  const app = new Hono();
  const auth = sessionAuth(manager);

  app.post('/api/sessions', jsonLimit, validJson(createSessionBody), async (c) => {
    const { body } = c.var;
    const rate = await createLimiter.take(clientAddress(c));
    if (!rate.allowed) {
      throw new DomainError(
        'rate_limited',
        'rate_limited',
        `Too many new sessions from this address. Try again in ${rate.retryAfterSeconds} s.`,
        { retryAfterSeconds: rate.retryAfterSeconds },
      );
    }
    if (body.lesson && body.step) await manager.assertStep(body.lesson, body.step);
    const learnerId = body.learner ?? ensureLearnerCookie(c);
    const created = await manager.create({
      lang: body.lang,
      lesson: body.lesson,
      step: body.step,
      learnerId,
    });
    return c.json({ ...created, learner: learnerId }, 201);
  });

  // `?wait=<s>` (at most 30): a starting session answers once it is no longer starting, so a
  // page waiting for its sandbox needs no polling.
  app.get('/api/sessions/:id', auth, async (c) => {
    const s = c.var.session;
    const wait = Number(c.req.query('wait') ?? 0);
    if (!(wait >= 0 && wait <= MAX_WAIT_S)) {
      throw new DomainError('invalid', 'bad_request', `"wait" is seconds from 0 to ${MAX_WAIT_S}`);
    }
    if (wait > 0 && s.state === 'starting') {
      await s.sandbox(AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(wait * 1000)])).catch(
        () => undefined, // still starting, failed or expired: the view says which
      );
    }
    return c.json(await manager.view(s));
  });

  app.delete('/api/sessions/:id', auth, async (c) => {
    await manager.delete(c.var.session);
    return c.body(null, 204);
  });

  app.post('/api/sessions/:id/reset', jsonLimit, auth, limitPerSession('reset'), async (c) =>
    c.json(await manager.reset(c.var.session, c.req.raw.signal)),
  );

  app.post('/api/sessions/:id/extend', jsonLimit, auth, limitPerSession('extend'), async (c) =>
    c.json(await manager.extend(c.var.session)),
  );

  app.post(
    '/api/sessions/:id/goto',
    jsonLimit,
    auth,
    limitPerSession('goto'),
    validJson(gotoBody),
    async (c) => {
      const { session, body } = c.var;
      return c.json(await manager.goto(session, body.lesson, body.step, c.req.raw.signal));
    },
  );

  return app;
}
