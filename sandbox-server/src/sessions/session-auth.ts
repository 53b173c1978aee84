import { DomainError } from '../http/domain-error.ts';
import { tokenMatches } from './token.ts';

/**
 * The session `id` of `live` if `token` is its bearer token: not_found for an unknown session,
 * unauthorized for a missing or wrong token.
 *
 * @example
 * const s = authorizeSession(manager.live, c.req.param('id'), bearerToken(c));
 */
export function authorizeSession<S extends { row: { tokenHash: string } }>(
  live: ReadonlyMap<string, S>,
  id: string,
  token: string | undefined,
): S {
  const s = live.get(id);
  if (!s) {
    throw new DomainError(
      'not_found',
      'session_not_found',
      `No session "${id}". Create one with POST /api/sessions.`,
    );
  }
  if (!token) {
    throw new DomainError(
      'unauthorized',
      'unauthorized',
      'This call needs "Authorization: Bearer <token>", the token POST /api/sessions returned.',
    );
  }
  if (!tokenMatches(token, s.row.tokenHash)) {
    throw new DomainError(
      'unauthorized',
      'unauthorized',
      'The bearer token does not belong to this session.',
    );
  }
  return s;
}
