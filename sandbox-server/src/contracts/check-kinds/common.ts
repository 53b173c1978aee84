import { z } from 'zod';
import { localized, seconds } from '../lesson-text.ts';

/** Fields every check kind accepts, and small field types several kinds share. */

export const commonFields = {
  within: seconds
    .optional()
    .describe('Retry for this many seconds before failing (default 3), so slow starts pass.'),
  timeout: seconds
    .optional()
    .describe('Give up on a single attempt after this many seconds (default 10).'),
  message: localized(z.string().min(1))
    .optional()
    .describe('Message shown when the check fails, replacing the generated one.'),
  guard: z
    .boolean()
    .optional()
    .describe(
      'true: the check protects what earlier steps built (it may already pass before this step); `handson verify` only requires it to pass after.',
    ),
};

export const names = z.array(z.string().min(1));
export const stringMap = z.record(z.string());
export const countSchema = z.union([
  z.number().int().min(0),
  z.object({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }),
]);
export const argv = z.union([z.string(), z.array(z.string())]);
export const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * One check kind as the lesson format knows it: the kind it normalises to, which field a bare
 * value under its key fills, and its fields' schema.
 */
export interface CheckKindSpec<K extends string, F extends z.ZodTypeAny> {
  kind: K;
  primary: string;
  /** true: an object under the key is the primary value itself, not the check's fields. */
  objectIsPrimary?: boolean;
  fields: F;
}

/**
 * Declare a check kind (keeps the literal types for the table).
 *
 * @example
 * export const fileKind = checkKind({ kind: 'file', primary: 'path', fields: fileFields });
 */
export function checkKind<K extends string, F extends z.ZodTypeAny>(
  spec: CheckKindSpec<K, F>,
): CheckKindSpec<K, F> {
  return spec;
}
