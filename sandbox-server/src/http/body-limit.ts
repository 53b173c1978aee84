import { bodyLimit } from 'hono/body-limit';
import { DomainError } from './domain-error.ts';

/** JSON bodies of the API are a few fields; anything bigger is a mistake or an attack. */
export const JSON_BODY_LIMIT = 64 * 1024;

/**
 * Middleware refusing a body over `maxBytes` with 413 before any of it is parsed. It goes first
 * in a route's chain, before auth, so an unauthenticated client cannot make the server read
 * a large body either.
 *
 * @example
 * app.put('/api/sessions/:id/files/*', limitBody(1024 * 1024), sessionAuth(sessions), …);
 */
export function limitBody(maxBytes: number) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new DomainError(
        'too_large',
        'too_large',
        `The request body is over ${maxBytes} bytes.`,
      );
    },
  });
}

/** The limit of every JSON POST/PUT route. */
export const jsonLimit = limitBody(JSON_BODY_LIMIT);
