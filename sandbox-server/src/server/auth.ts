import type { Context } from 'hono';
import type { SessionDirectory, SessionHandle } from './context.ts';

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(c: Context): string | undefined {
  return c.req.header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

/**
 * The session named by the route's `:id`, authorized by its bearer token: 404 for an unknown
 * session, 401 for a missing or wrong token.
 *
 * @example
 * app.get('/api/sessions/:id/thing', (c) => { const s = requireSession(c, ctx.sessions); … });
 */
export function requireSession(
  c: Context,
  sessions: SessionDirectory,
  token: string | undefined = bearerToken(c),
): SessionHandle {
  return sessions.authorize(c.req.param('id') ?? '', token);
}
