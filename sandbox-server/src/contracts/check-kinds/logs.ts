import { z } from 'zod';
import { regexSource } from '../lesson-text.ts';
import { checkKind, commonFields } from './common.ts';

/** `logs`: a container's logs (stdout, stderr or both) contain / match something. */

export const logsFields = z
  .object({
    ...commonFields,
    container: z.string().min(1),
    stream: z.enum(['stdout', 'stderr', 'both']).optional().describe('Default both.'),
    contains: z.string().optional(),
    matches: regexSource.optional(),
  })
  .strict();

export const logsKind = checkKind({ kind: 'logs', primary: 'container', fields: logsFields });

export type LogsCheck = { kind: 'logs' } & z.output<typeof logsFields>;
