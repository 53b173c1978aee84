import { z } from 'zod';
import { solutionSchema } from './lesson-solution.ts';

/**
 * A wrong way to do a step, written down by its author so `handson verify` can prove the step's
 * checks refuse it: the commands a learner might type instead (the right command with a wrong
 * flag, another name, a step left out), and how to put the sandbox back afterwards.
 *
 * @example
 * mistakeSchema.parse({
 *   why: '--restart always retries forever; the step asks for at most three tries',
 *   run: "docker run -d --name flaky --restart always busybox sh -c 'exit 1'",
 *   undo: 'docker rm -f flaky',
 * });
 */
export const mistakeSchema = z
  .object({
    why: z
      .string()
      .min(1)
      .describe('What is wrong, for authors: verify names it when the checks let it pass.'),
    run: solutionSchema.describe(
      'The wrong commands, typed like a solution; a command may fail (status is not judged).',
    ),
    undo: solutionSchema
      .optional()
      .describe('Typed after the checks looked, so the step then starts as it would without it.'),
  })
  .strict();
export type Mistake = z.output<typeof mistakeSchema>;
