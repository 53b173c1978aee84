import { z } from 'zod';
import { checkKind, commonFields, names } from './common.ts';

/** `diff`: `docker diff` of a container lists the given added / changed / deleted paths. */

export const diffFields = z
  .object({
    ...commonFields,
    container: z.string().min(1),
    added: names.optional(),
    changed: names.optional(),
    deleted: names.optional(),
  })
  .strict();

export const diffKind = checkKind({ kind: 'diff', primary: 'container', fields: diffFields });

export type DiffCheck = { kind: 'diff' } & z.output<typeof diffFields>;
