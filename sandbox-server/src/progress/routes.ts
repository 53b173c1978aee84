import { Hono } from 'hono';
import { HttpError } from '../http/http-error.ts';
import { requireSession } from '../server/auth.ts';
import type { ServerContext } from '../server/context.ts';
import type { ProgressRow } from '../store/progress-repository.ts';
import { learnerFromCookie } from './learner-cookie.ts';

const view = (learner: string, rows: ProgressRow[]) => ({
  learner,
  passed: rows.map((r) => ({
    lesson: r.lesson,
    step: r.step,
    passedAt: new Date(r.passedAt).toISOString(),
  })),
});

/**
 * What a learner has passed, for the course index: `GET /api/progress` by the learner cookie,
 * `GET /api/sessions/:id/progress` by a session's bearer token.
 *
 * @example
 * app.route('/', progressRoutes(ctx));
 */
export function progressRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  const recorder = () => {
    if (!ctx.progress) throw new HttpError(501, 'no_progress', 'This server keeps no progress.');
    return ctx.progress;
  };

  app.get('/api/progress', (c) => {
    const learner = learnerFromCookie(c);
    if (!learner) return c.json({ learner: null, passed: [] });
    return c.json(view(learner, recorder().passed(learner)));
  });

  app.get('/api/sessions/:id/progress', (c) => {
    const session = requireSession(c, ctx.sessions);
    const learner = session.learnerId;
    if (!learner) return c.json({ learner: null, passed: [] });
    return c.json(view(learner, recorder().passed(learner)));
  });

  return app;
}
