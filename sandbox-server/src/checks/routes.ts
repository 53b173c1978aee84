import { Hono } from 'hono';
import { type CheckOutcome, checkRequestBody } from '#contracts/http-api.ts';
import { sessionAuth } from '../http/bearer-auth.ts';
import { jsonLimit } from '../http/body-limit.ts';
import { DomainError } from '../http/domain-error.ts';
import { validJson } from '../http/validate.ts';
import type { LessonCatalog } from '../lessons/catalog.ts';
import type { ProgressRecorder } from '../progress/progress-recorder.ts';
import type { SessionDirectory } from '../sessions/session-handle.ts';
import { limitPerSession } from '../sessions/session-rate-limit.ts';
import { runChecks } from './runner.ts';

/**
 * `POST /api/sessions/:id/check {lesson, step, lang?}` → `{passed, checks:[{passed, message}]}`.
 * The checks come from the server's content; the request only names which step.
 */

/** What the check route uses of the server. */
export interface CheckRouteDeps {
  sessions: SessionDirectory;
  /** The server's one lesson catalogue. */
  lessons: LessonCatalog;
  /** Where Checks are recorded; absent in tests that need no store. */
  progress?: ProgressRecorder;
}

/** The first failing check's message as the learner saw it, for the instructor's dashboard. */
function failingMessage(result: CheckOutcome): string | null {
  if (result.passed) return null;
  return result.checks.find((c) => !c.passed)?.message ?? null;
}

/**
 * The check route, for the server's route list.
 *
 * @example
 * app.route('/', checkRoutes({ sessions, lessons, progress }));
 */
export function checkRoutes({ sessions, lessons, progress }: CheckRouteDeps): Hono {
  const app = new Hono();

  app.post(
    '/api/sessions/:id/check',
    jsonLimit,
    sessionAuth(sessions),
    limitPerSession('check'),
    validJson(checkRequestBody),
    async (c) => {
      const { session, body } = c.var;
      const { lesson: lessonId, step: stepId } = body;
      const lang = body.lang ?? session.lang;
      const lesson = await lessons.lesson(lessonId);
      if (!lesson) {
        throw new DomainError('not_found', 'unknown_lesson', `there is no lesson "${lessonId}"`);
      }
      const step = lesson.spec.steps.find((s) => s.id === stepId);
      if (!step) {
        const ids = lesson.spec.steps.map((s) => s.id).join(', ');
        throw new DomainError(
          'not_found',
          'unknown_step',
          `lesson "${lessonId}" has no step "${stepId}" (its steps: ${ids})`,
        );
      }
      session.touch();
      const signal = c.req.raw.signal;
      let result: CheckOutcome;
      try {
        const sandbox = await session.sandbox(signal);
        const stepIds = lesson.spec.steps.map((s) => s.id);
        // History counts from the step's beginning: the store's memory of the learner's passes.
        const historySince =
          session.learnerId && progress
            ? await progress.stepBegan(session.learnerId, lesson.id, stepIds, stepId)
            : undefined;
        result = await runChecks(step.checks, sandbox, { lang, signal, historySince });
      } catch (error) {
        // A sandbox that cannot be reached is a failed check the learner can act on, not a 500.
        const detail = error instanceof Error ? error.message : String(error);
        const message = {
          ja: `サンドボックスに接続できませんでした (${detail})。少し待ってからもう一度チェックするか、サンドボックスをリセットしてください`,
          en: `your sandbox could not be reached (${detail}); wait a moment and check again, or reset the sandbox`,
          zh: `无法连接到你的沙箱（${detail}）。请稍等片刻再检查一次，或者重置沙箱`,
        }[lang];
        result = { passed: false, checks: [{ passed: false, message }] };
      }
      const learnerId = session.learnerId;
      if (learnerId && progress) {
        await progress.record({
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
    },
  );

  return app;
}
