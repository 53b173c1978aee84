import { z } from 'zod';
import { checkSchema } from './check-schema.ts';
import { mistakeSchema } from './lesson-mistake.ts';
import { partSchema } from './lesson-parts.ts';
import { solutionSchema } from './lesson-solution.ts';
import { localized, localizedText } from './lesson-text.ts';

/**
 * The lesson contract: ONE zod schema for `content/lessons/<NN-id>/lesson.yaml`, imported by the
 * server (loader, checks, verify) and by the Astro site (content collections). Framework-free on
 * purpose: no Node imports here, so the browser build can use it too. Its parts: text and
 * languages (lesson-text.ts), solutions (lesson-solution.ts), checks (check-schema.ts, one file
 * per kind in check-kinds/).
 *
 * @example
 * const lesson = lessonSchema.parse(YAML.parse(text));
 * lesson.steps[0].checks[0].kind // 'container'
 */

export * from './check-kinds/index.ts';
export { checkKeyOf, checkSchema } from './check-schema.ts';
export { type Mistake, mistakeSchema } from './lesson-mistake.ts';
export { PARTS, type Part, partSchema } from './lesson-parts.ts';
export {
  type Solution,
  type SolutionAction,
  solutionActionSchema,
  solutionSchema,
} from './lesson-solution.ts';
export {
  isLang,
  LANGS,
  type Lang,
  type LocalizedText,
  localized,
  localizedText,
  pickLang,
  regexSource,
} from './lesson-text.ts';

export const editorFileSchema = z
  .object({
    path: z.string().min(1).describe('Workspace path, relative to /root/work.'),
    content: z.string().optional().describe('Initial content written when the step opens.'),
    language: z.string().optional().describe('Editor language id (dockerfile, shell, yaml, …).'),
  })
  .strict();
export type EditorFile = z.output<typeof editorFileSchema>;

export const STEP_ID = /^[a-z0-9][a-z0-9-]*$/;

export const stepSchema = z
  .object({
    id: z.string().regex(STEP_ID, 'expected lowercase letters, digits and dashes (`run-detached`)'),
    title: localizedText,
    solution: solutionSchema,
    checks: z.array(checkSchema).min(1, 'expected at least one check'),
    hints: localized(z.array(z.string().min(1)).min(1)).describe('Hints per language, in order.'),
    files: z.array(editorFileSchema).optional().describe('Files the editor opens for this step.'),
    mistakes: z
      .array(mistakeSchema)
      .optional()
      .describe('Wrong ways to do the step; verify proves its checks refuse each one.'),
  })
  .strict();
export type Step = z.output<typeof stepSchema>;

export const lessonSchema = z
  .object({
    order: z.number().int().min(0).describe('Position in the course.'),
    // Optional so drafts and older lessons still load; every course lesson has one (a unit test
    // of content/ holds the course to it). Without one the index lists the lesson after the parts.
    part: partSchema.optional(),
    title: localizedText,
    summary: localizedText.optional().describe('One or two sentences for the course index.'),
    images: z.array(z.string().min(1)).default([]).describe('Images the lesson pulls or runs.'),
    setup: z.string().min(1).optional().describe('Shell text run once in a new sandbox.'),
    steps: z.array(stepSchema).min(1, 'expected at least one step'),
  })
  .strict()
  .superRefine((lesson, ctx) => {
    const seen = new Set<string>();
    lesson.steps.forEach((step, index) => {
      if (seen.has(step.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'id'],
          message: `duplicate step id "${step.id}"; each step needs its own id`,
        });
      }
      seen.add(step.id);
    });
  });
export type Lesson = z.output<typeof lessonSchema>;
export type LessonInput = z.input<typeof lessonSchema>;

/**
 * The lesson id the API and `handson verify` use: the folder name without its order prefix.
 *
 * @example
 * lessonIdFromFolder('02-first-containers') // 'first-containers'
 */
export function lessonIdFromFolder(folder: string): string {
  return folder.replace(/^\d+-/, '');
}
