import { createMiddleware } from 'hono/factory';
import { DomainError } from '../http/domain-error.ts';
import { RateLimiter } from '../store/rate-limiter.ts';

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
 * Middleware after `sessionAuth`: `429 rate_limited` with `Retry-After` once the route's
 * session asks for `action` too often. It counts only authorized requests, so nobody without
 * the token can use up a session's budget.
 *
 * @example
 * app.post('/api/sessions/:id/check', jsonLimit, sessionAuth(sessions), limitPerSession('check'), handler);
 */
export function limitPerSession(
  action: SessionAction,
  limiter = new RateLimiter(SESSION_ACTION_LIMITS[action]),
) {
  return createMiddleware<{ Variables: { session: { id: string } } }>(async (c, next) => {
    const rate = limiter.take(c.var.session.id);
    if (!rate.allowed) {
      throw new DomainError(
        'rate_limited',
        'rate_limited',
        `Too many ${action} requests for this session. Try again in ${rate.retryAfterSeconds} s.`,
        { retryAfterSeconds: rate.retryAfterSeconds },
      );
    }
    await next();
  });
}
