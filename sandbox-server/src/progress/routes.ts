import { Hono } from 'hono';
import { sessionAuth } from '../http/bearer-auth.ts';
import { DomainError } from '../http/domain-error.ts';
import { learnerFromCookie } from '../http/learner-cookie.ts';
import type { SessionDirectory } from '../sessions/session-handle.ts';
import type { ProgressRow } from '../store/progress-repository.ts';
import type { ProgressRecorder } from './progress-recorder.ts';

/** What the progress routes use of the server. */
export interface ProgressRouteDeps {
  sessions: SessionDirectory;
  /** Absent when the server keeps no progress (some tests). */
  progress?: ProgressRecorder;
}

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
 * app.route('/', progressRoutes({ sessions, progress }));
 */
export function progressRoutes({ sessions, progress }: ProgressRouteDeps): Hono {
  const app = new Hono();
  const recorder = () => {
    if (!progress) {
      throw new DomainError('unsupported', 'no_progress', 'This server keeps no progress.');
    }
    return progress;
  };

  app.get('/api/progress', async (c) => {
    const learner = learnerFromCookie(c);
    if (!learner) return c.json({ learner: null, passed: [] });
    return c.json(view(learner, await recorder().passed(learner)));
  });

  app.get('/api/sessions/:id/progress', sessionAuth(sessions), async (c) => {
    const learner = c.var.session.learnerId;
    if (!learner) return c.json({ learner: null, passed: [] });
    return c.json(view(learner, await recorder().passed(learner)));
  });

  return app;
}
