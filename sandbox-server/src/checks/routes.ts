import { Hono } from 'hono';
import { z } from 'zod';
import { LANGS } from '../contracts/lesson.ts';
import { HttpError } from '../http/http-error.ts';
import { contentDir, type LessonCatalog, lessonCatalog } from '../lessons/catalog.ts';
import type { ServerContext } from '../server/context.ts';
import { limitPerSession } from '../sessions/session-rate-limit.ts';
import { runChecks, type StepCheckResult } from './runner.ts';
import { notePass, stepBegan } from './step-passes.ts';

/**
 * `POST /api/sessions/:id/check {lesson, step, lang?}` → `{passed, checks:[{passed, message}]}`.
 * The checks come from the server's content; the request only names which step.
 */

const checkRequest = z
  .object({
    lesson: z.string().min(1),
    step: z.string().min(1),
    lang: z.enum(LANGS).optional(),
  })
  .strict();

/** The first failing check's message as the learner saw it, for the instructor's dashboard. */
function failingMessage(result: StepCheckResult): string | null {
  if (result.passed) return null;
  return result.checks.find((c) => !c.passed)?.message ?? null;
}

function errorResponse(error: HttpError) {
  return { error: { code: error.code, message: error.message } };
}

/**
 * The check route, for the server's route list.
 *
 * @example
 * app.route('/', checkRoutes(ctx));
 */
export function checkRoutes(ctx: ServerContext, catalog?: LessonCatalog): Hono {
  const app = new Hono();
  const lessons = catalog ?? lessonCatalog(contentDir(ctx.config));

  app.post('/api/sessions/:id/check', limitPerSession(ctx.sessions, 'check'), async (c) => {
    try {
      const token = c.req.header('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1];
      const session = ctx.sessions.authorize(c.req.param('id'), token);
      const body = await c.req.json().catch(() => undefined);
      const parsed = checkRequest.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join('.') || 'body';
        throw new HttpError(
          400,
          'bad_request',
          `field "${field}": ${issue?.message ?? 'expected a JSON object'}`,
        );
      }
      const { lesson: lessonId, step: stepId } = parsed.data;
      const lang = parsed.data.lang ?? session.lang;
      const lesson = await lessons.lesson(lessonId);
      if (!lesson) throw new HttpError(404, 'unknown_lesson', `there is no lesson "${lessonId}"`);
      const step = lesson.spec.steps.find((s) => s.id === stepId);
      if (!step) {
        const ids = lesson.spec.steps.map((s) => s.id).join(', ');
        throw new HttpError(
          404,
          'unknown_step',
          `lesson "${lessonId}" has no step "${stepId}" (its steps: ${ids})`,
        );
      }
      session.touch();
      const signal = c.req.raw.signal;
      let result: StepCheckResult;
      try {
        const sandbox = await session.sandbox(signal);
        const stepIds = lesson.spec.steps.map((s) => s.id);
        const historySince = stepBegan(session, lesson.id, stepIds, stepId);
        result = await runChecks(step.checks, sandbox, { lang, signal, historySince });
        if (result.passed) notePass(session, lesson.id, stepId, Date.now());
      } catch (error) {
        // A sandbox that cannot be reached is a failed check the learner can act on, not a 500.
        const detail = error instanceof Error ? error.message : String(error);
        const message =
          lang === 'ja'
            ? `サンドボックスに接続できませんでした (${detail})。少し待ってからもう一度チェックするか、サンドボックスをリセットしてください`
            : `your sandbox could not be reached (${detail}); wait a moment and check again, or reset the sandbox`;
        result = { passed: false, checks: [{ passed: false, message }] };
      }
      const learnerId = session.learnerId;
      if (learnerId && ctx.progress) {
        ctx.progress.record({
          sessionId: session.id,
          learnerId,
          // The loaded lesson's id, however the request named it, so progress lines up.
          lesson: lesson.id,
          step: stepId,
          passed: result.passed,
          message: failingMessage(result),
          at: Date.now(),
        });
      }
      return c.json(result);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return c.json(errorResponse(error), error.status as 400, { ...error.headers });
    }
  });

  return app;
}
