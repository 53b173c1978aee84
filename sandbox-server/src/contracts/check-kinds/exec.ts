import { z } from 'zod';
import { regexSource } from '../lesson-text.ts';
import { checkKind, commonFields } from './common.ts';

/** `exec`: shell text, in the sandbox or a container, exits with a code and prints something. */

export const execFields = z
  .object({
    ...commonFields,
    run: z.string().min(1).describe('Shell text run with `sh -c`.'),
    container: z
      .string()
      .min(1)
      .optional()
      .describe('Run inside this container instead of the sandbox.'),
    exitCode: z.number().int().optional().describe('Default 0.'),
    stdout: z.string().optional().describe('Shorthand for `equals`.'),
    equals: z.string().optional().describe('Trimmed stdout equals this.'),
    contains: z.string().optional(),
    matches: regexSource.optional(),
  })
  .strict();

export const execKind = checkKind({ kind: 'exec', primary: 'run', fields: execFields });

export type ExecCheck = { kind: 'exec' } & z.output<typeof execFields>;
