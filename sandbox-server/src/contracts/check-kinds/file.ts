import { z } from 'zod';
import { regexSource } from '../lesson-text.ts';
import { checkKind, commonFields } from './common.ts';

/** `file`: a workspace file exists / contains / matches. */

export const fileFields = z
  .object({
    ...commonFields,
    path: z.string().min(1).describe('Workspace path, relative to /root/work.'),
    exists: z.boolean().optional(),
    contains: z.string().optional(),
    matches: regexSource.optional(),
  })
  .strict();

export const fileKind = checkKind({ kind: 'file', primary: 'path', fields: fileFields });

export type FileCheck = { kind: 'file' } & z.output<typeof fileFields>;
