import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { HttpError } from './http-error.ts';

/** The one error body shape of the API. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/**
 * Answer `{error: {code, message}}`: an HttpError with its status and headers; anything else
 * is a 500 whose message still says what failed (the stack goes to the server log).
 *
 * @example
 * app.onError(errorHandler(console.error));
 */
export function errorHandler(log: (message: string) => void = () => {}) {
  return (err: Error, c: Context): Response => {
    if (err instanceof HttpError) {
      return c.json<ErrorBody>(
        { error: { code: err.code, message: err.message } },
        err.status as ContentfulStatusCode,
        err.headers,
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
export function badRequest(error: ZodError): HttpError {
  const issue = error.issues[0];
  const field = issue?.path.join('.') || 'body';
  return new HttpError(400, 'bad_request', `field "${field}": ${issue?.message ?? 'invalid'}`);
}
