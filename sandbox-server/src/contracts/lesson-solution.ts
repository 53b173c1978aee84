import { z } from 'zod';
import { isPlainObject, regexSource, seconds } from './lesson-text.ts';

/** A step's solution: shell text, or interactive actions typed into a real terminal. */

const typeAction = z
  .object({ type: z.string().min(1).describe('Text typed, then Enter.') })
  .strict();
const keysAction = z
  .object({
    keys: z
      .string()
      .min(1)
      .regex(
        /^(\s*(C-.|M-.|Enter|Tab|Escape|Esc|Space|BSpace|Up|Down|Left|Right|[^\s])\s*)+$/i,
        'expected tmux-style key names such as `C-p C-q`, `Enter`, `C-c`',
      )
      .describe('tmux-style key names separated by spaces: `C-p C-q`, `Enter`, `C-c`.'),
  })
  .strict();
const expectAction = z
  .object({
    expect: regexSource.describe('Wait until the screen matches this regex.'),
    timeout: seconds.optional().describe('Seconds to wait (default 10).'),
  })
  .strict();
const ACTIONS = { type: typeAction, keys: keysAction, expect: expectAction } as const;

/** Interactive solution actions, typed into a real terminal: `{type}`, `{keys}`, `{expect}`. */
export const solutionActionSchema = z
  .unknown()
  .transform((raw, ctx) => {
    const key = isPlainObject(raw)
      ? (Object.keys(ACTIONS) as (keyof typeof ACTIONS)[]).find((k) => k in raw)
      : undefined;
    if (key === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'expected an action: {type: "…"}, {keys: "C-p C-q"} or {expect: "regex", timeout: 10}',
      });
      return z.NEVER;
    }
    const parsed = ACTIONS[key].safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue(issue);
      return z.NEVER;
    }
    return parsed.data as
      | z.output<typeof typeAction>
      | z.output<typeof keysAction>
      | z.output<typeof expectAction>;
  })
  .describe('An interactive action: {type}, {keys} or {expect, timeout}.');
export type SolutionAction = z.output<typeof solutionActionSchema>;

export const solutionSchema = z
  .union([z.string().min(1), z.array(solutionActionSchema).min(1)])
  .describe('Shell text (one command per line), or a list of {type}/{keys}/{expect} actions.');
export type Solution = z.output<typeof solutionSchema>;
