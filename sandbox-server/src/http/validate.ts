import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { z } from 'zod';
import { DomainError } from './domain-error.ts';
import { badRequest } from './error-handler.ts';

/**
 * The request's JSON body checked against `schema`; an empty body counts as `{}` so optional-only
 * bodies may be left out. Malformed JSON and invalid fields are 400s naming what is wrong.
 *
 * @example
 * const { lesson, step } = await jsonBody(c, z.object({ lesson: z.string(), step: z.string() }));
 */
export async function jsonBody<S extends z.ZodTypeAny>(c: Context, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new DomainError(
        'invalid',
        'bad_request',
        `field "body": not valid JSON (${(error as Error).message}); send a JSON object.`,
      );
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(parsed.error);
  return parsed.data;
}

/**
 * Middleware: the JSON body validated by `schema`, as `c.var.body` (see `jsonBody`).
 *
 * @example
 * app.post('/api/sessions/:id/goto', jsonLimit, sessionAuth(sessions), validJson(gotoBody),
 *   (c) => manager.goto(c.var.session, c.var.body.lesson, c.var.body.step));
 */
export function validJson<S extends z.ZodTypeAny>(schema: S) {
  return createMiddleware<{ Variables: { body: z.infer<S> } }>(async (c, next) => {
    c.set('body', await jsonBody(c, schema));
    await next();
  });
}
