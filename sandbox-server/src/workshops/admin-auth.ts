import type { MiddlewareHandler } from 'hono';
import { bearerToken } from '../http/bearer-auth.ts';
import { DomainError } from '../http/domain-error.ts';
import { adminTokenMatches } from './admin-token.ts';

/**
 * Admin routes answer only to the instructor's admin token: 401 without a token, 403 with any
 * other (a learner's session token included).
 *
 * @example
 * app.use('/api/workshops/*', requireAdmin(token));
 */
export function requireAdmin(token: string): MiddlewareHandler {
  return async (c, next) => {
    const given = bearerToken(c);
    if (!given) {
      throw new DomainError(
        'unauthorized',
        'unauthorized',
        'Workshop administration needs "Authorization: Bearer <admin token>" (`handson admin-token` prints it).',
      );
    }
    if (!adminTokenMatches(token, given)) {
      throw new DomainError('forbidden', 'forbidden', 'That token is not the admin token.');
    }
    await next();
  };
}
