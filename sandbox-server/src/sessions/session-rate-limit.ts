import type { MiddlewareHandler } from 'hono';
import { HttpError } from '../http/http-error.ts';
import { requireSession } from '../server/auth.ts';
import type { SessionDirectory } from '../server/context.ts';
import { RateLimiter } from './rate-limiter.ts';

/**
 * How often one session may ask for each costly action: `burst` at once, then `perMinute`.
 * Per session, never per address (a class shares one address). A learner pressing Check
 * every few seconds never meets these; a script in a loop does.
 */
export const SESSION_ACTION_LIMITS = {
  check: { burst: 10, perMinute: 30 },
  reset: { burst: 3, perMinute: 6 },
  goto: { burst: 5, perMinute: 10 },
  extend: { burst: 3, perMinute: 6 },
} as const;

export type SessionAction = keyof typeof SESSION_ACTION_LIMITS;

/**
 * A middleware that answers `429 rate_limited` with `Retry-After` once the route's session
 * (`:id`, authorized by its bearer token, so nobody else can use up its budget) asks for
 * `action` too often. Unknown sessions and bad tokens fall through to the route's own 404/401.
 *
 * @example
 * app.post('/api/sessions/:id/check', limitPerSession(ctx.sessions, 'check'), handler);
 */
export function limitPerSession(
  sessions: SessionDirectory,
  action: SessionAction,
  limiter = new RateLimiter(SESSION_ACTION_LIMITS[action]),
): MiddlewareHandler {
  return async (c, next) => {
    let sessionId: string;
    try {
      sessionId = requireSession(c, sessions).id;
    } catch {
      return next(); // the route answers 404 or 401 itself
    }
    const rate = limiter.take(sessionId);
    if (!rate.allowed) {
      throw new HttpError(
        429,
        'rate_limited',
        `Too many ${action} requests for this session. Try again in ${rate.retryAfterSeconds} s.`,
        { 'Retry-After': String(rate.retryAfterSeconds) },
      );
    }
    return next();
  };
}
