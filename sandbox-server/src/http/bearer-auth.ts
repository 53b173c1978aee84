import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';

/** The token of an `Authorization: Bearer <token>` header, if any: the one parser of it. */
export function bearerToken(c: Context): string | undefined {
  return c.req.header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

/** Whoever can tell a session from its id and bearer token (the session directory). */
export interface SessionAuthority<S> {
  /** The session if `token` is its bearer token; throws a DomainError otherwise. */
  authorize(id: string, token: string | undefined): S;
  /**
   * Called before `authorize` with every requested id: a replica that does not hold the session
   * may take it over first (its replica died). Resolves when `authorize` may look.
   */
  arrive?(id: string): Promise<void>;
}

/**
 * Middleware for `/api/sessions/:id/…` routes: the session named by `:id`, authorized by its
 * bearer token, as `c.var.session` (unknown session → not_found, missing or wrong token →
 * unauthorized, both thrown by the authority).
 *
 * @example
 * app.post('/api/sessions/:id/reset', jsonLimit, sessionAuth(sessions), (c) => c.var.session…);
 */
export function sessionAuth<S>(sessions: SessionAuthority<S>) {
  return createMiddleware<{ Variables: { session: S } }>(async (c, next) => {
    const id = c.req.param('id') ?? '';
    await sessions.arrive?.(id);
    c.set('session', sessions.authorize(id, bearerToken(c)));
    await next();
  });
}
