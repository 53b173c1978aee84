import type { Context } from 'hono';
import type { z } from 'zod';
import { badRequest } from './error-handler.ts';
import { HttpError } from './http-error.ts';

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
      throw new HttpError(
        400,
        'bad_request',
        `field "body": not valid JSON (${(error as Error).message}); send a JSON object.`,
      );
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(parsed.error);
  return parsed.data;
}
