import { z } from 'zod';
import { regexSource } from '../lesson-text.ts';
import { checkKind, commonFields } from './common.ts';

/** `http`: a port on the sandbox's loopback answers a status, with a body that contains / matches. */

export const httpFields = z
  .object({
    ...commonFields,
    port: z.number().int().min(1).max(65535),
    path: z.string().startsWith('/').optional().describe('Default `/`.'),
    status: z.number().int().min(100).max(599).optional().describe('Default 200.'),
    contains: z.string().optional(),
    matches: regexSource.optional(),
  })
  .strict();

export const httpKind = checkKind({ kind: 'http', primary: 'port', fields: httpFields });

export type HttpCheck = { kind: 'http' } & z.output<typeof httpFields>;
