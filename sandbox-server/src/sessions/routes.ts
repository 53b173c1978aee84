import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { clientAddress } from '../http/client-address.ts';
import { HttpError } from '../http/http-error.ts';
import { jsonBody } from '../http/validate.ts';
import { ensureLearnerCookie, isLearnerId } from '../progress/learner-cookie.ts';
import { bearerToken } from '../server/auth.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { SessionManager } from './session-manager.ts';
import { limitPerSession } from './session-rate-limit.ts';

/** JSON bodies here are a few fields; anything bigger is a mistake or an attack. */
export const JSON_BODY_LIMIT = 64 * 1024;
/** The longest `GET /api/sessions/:id?wait=` holds a request. */
const MAX_WAIT_S = 30;

const id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-"');

const createBody = z.object({
  lesson: id.optional(),
  lang: z.enum(['ja', 'en']).optional(),
  // Non-browser clients may name their learner; browsers get the learner cookie.
  learner: z.string().refine(isLearnerId, 'expected 16–64 letters, digits, "_" or "-"').optional(),
});
const gotoBody = z.object({ lesson: id, step: id });

export const jsonLimit = bodyLimit({
  maxSize: JSON_BODY_LIMIT,
  onError: () => {
    throw new HttpError(413, 'too_large', `The request body is over ${JSON_BODY_LIMIT} bytes.`);
  },
});

/**
 * Session lifecycle routes: create (rate-limited per client, 503 at capacity), get, delete,
 * reset, extend, goto.
 *
 * @example
 * app.route('/', sessionRoutes(manager, new RateLimiter({ burst: 5, perMinute: 10 })));
 */
export function sessionRoutes(manager: SessionManager, limiter: RateLimiter): Hono {
  const app = new Hono();
  const session = (c: Parameters<typeof bearerToken>[0]) =>
    manager.authorize(c.req.param('id') ?? '', bearerToken(c));

  app.post('/api/sessions', jsonLimit, async (c) => {
    const body = await jsonBody(c, createBody);
    const rate = limiter.take(clientAddress(c));
    if (!rate.allowed) {
      throw new HttpError(
        429,
        'rate_limited',
        `Too many new sessions from this address. Try again in ${rate.retryAfterSeconds} s.`,
        { 'Retry-After': String(rate.retryAfterSeconds) },
      );
    }
    const learnerId = body.learner ?? ensureLearnerCookie(c);
    const created = manager.create({ lang: body.lang, lesson: body.lesson, learnerId });
    return c.json({ ...created, learner: learnerId }, 201);
  });

  // `?wait=<s>` (at most 30): a starting session answers once it is no longer starting, so a
  // page waiting for its sandbox needs no polling.
  app.get('/api/sessions/:id', async (c) => {
    const s = session(c);
    const wait = Number(c.req.query('wait') ?? 0);
    if (!(wait >= 0 && wait <= MAX_WAIT_S)) {
      throw new HttpError(400, 'bad_request', `"wait" is seconds from 0 to ${MAX_WAIT_S}`);
    }
    if (wait > 0 && s.state === 'starting') {
      await s.sandbox(AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(wait * 1000)])).catch(
        () => undefined, // still starting, failed or expired: the view says which
      );
    }
    return c.json(await manager.view(s));
  });

  app.delete('/api/sessions/:id', async (c) => {
    await manager.delete(session(c));
    return c.body(null, 204);
  });

  app.post('/api/sessions/:id/reset', jsonLimit, limitPerSession(manager, 'reset'), async (c) => {
    const s = session(c);
    return c.json(await manager.reset(s, c.req.raw.signal));
  });

  app.post('/api/sessions/:id/extend', jsonLimit, limitPerSession(manager, 'extend'), (c) =>
    c.json(manager.extend(session(c))),
  );

  app.post('/api/sessions/:id/goto', jsonLimit, limitPerSession(manager, 'goto'), async (c) => {
    const s = session(c);
    const { lesson, step } = await jsonBody(c, gotoBody);
    return c.json(await manager.goto(s, lesson, step, c.req.raw.signal));
  });

  return app;
}
