import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { ErrorBody } from '#contracts/http-api.ts';
import { DomainError } from './domain-error.ts';

/**
 * The HTTP status of a domain error: the one mapping of the server.
 *
 * @example
 * statusOf(new DomainError('gone', 'expired', 'the session has expired')) // 410
 */
export function statusOf(error: DomainError): ContentfulStatusCode {
  return error.status;
}

/**
 * The headers that go with a domain error: `Retry-After` when it says when to come back,
 * `WWW-Authenticate` on a 401.
 *
 * @example
 * headersOf(new DomainError('rate_limited', 'rate_limited', 'slow down', { retryAfterSeconds: 5 }))
 * // { 'Retry-After': '5' }
 */
export function headersOf(error: DomainError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) {
    headers['Retry-After'] = String(error.retryAfterSeconds);
  }
  if (error.kind === 'unauthorized') headers['WWW-Authenticate'] = 'Bearer';
  return headers;
}

/**
 * Answer `{error: {code, message}}`: a DomainError with its status and headers; anything else
 * is a 500 whose message still says what failed (the stack goes to the server log).
 *
 * @example
 * app.onError(errorHandler(console.error));
 */
export function errorHandler(log: (message: string) => void = () => {}) {
  return (err: Error, c: Context): Response => {
    if (err instanceof DomainError) {
      return c.json<ErrorBody>(
        { error: { code: err.code, message: err.message } },
        statusOf(err),
        headersOf(err),
      );
    }
    log(`${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    return c.json<ErrorBody>(
      {
        error: {
          code: 'internal',
          message: `The server failed while handling ${c.req.method} ${c.req.path}: ${err.message}. Try again; if it persists, check the server log.`,
        },
      },
      500,
    );
  };
}

/** Unknown routes: a JSON 404 that says which route was asked for. */
export function notFound(c: Context): Response {
  return c.json<ErrorBody>(
    { error: { code: 'not_found', message: `No route ${c.req.method} ${c.req.path}.` } },
    404,
  );
}

/**
 * A 400 naming the first invalid field.
 *
 * @example
 * throw badRequest(result.error) // field "lang": Invalid enum value. Expected 'ja' | 'en'
 */
export function badRequest(error: ZodError): DomainError {
  const issue = error.issues[0];
  const field = issue?.path.join('.') || 'body';
  return new DomainError(
    'invalid',
    'bad_request',
    `field "${field}": ${issue?.message ?? 'invalid'}`,
  );
}
