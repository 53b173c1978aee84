import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckOutcome } from '#contracts/http-api.ts';
import { type Check, LANGS, type Lang, pickLang } from '../contracts/lesson.ts';
import type { Sandbox } from '../sandbox/driver.ts';
import type { CheckContext, Evaluate } from './context.ts';
import { errorOutcome } from './engine-errors.ts';
import { EVALUATORS } from './kinds/index.ts';
import { fail, type Outcome } from './outcome.ts';

/**
 * The check runner: evaluates a step's checks concurrently against the learner's sandbox, each
 * retried for its `within` window (default 3 s) with a per-attempt `timeout` (default 10 s), and
 * never throws: an engine that is down is a failed check that says so.
 */

export const DEFAULT_WITHIN_S = 3;
export const DEFAULT_TIMEOUT_S = 10;
const RETRY_EVERY_MS = 200;

export interface RunCheckOptions {
  lang: Lang;
  signal?: AbortSignal;
  /** false: one attempt only, no `within` window (verify's "must fail before" pass). */
  retry?: boolean;
  /** See `CheckContext.historySince`. */
  historySince?: number;
}

/** The check's own kind's evaluator, from the one table. */
function evaluate(check: Check, ctx: CheckContext): Promise<Outcome> {
  const evaluator = EVALUATORS[check.kind] as Evaluate<Check>;
  return evaluator(check, ctx);
}

async function attempt(
  check: Check,
  sandbox: Sandbox,
  outer: AbortSignal | undefined,
  historySince: number | undefined,
): Promise<Outcome> {
  const timeoutS = check.timeout ?? DEFAULT_TIMEOUT_S;
  const signal = AbortSignal.any([AbortSignal.timeout(timeoutS * 1000), ...(outer ? [outer] : [])]);
  const timedOut = new Promise<Outcome>((resolve) => {
    const onAbort = () =>
      resolve({
        ...fail(
          `the check did not finish within ${timeoutS} s; the sandbox may be busy, try again`,
          `チェックが ${timeoutS} 秒以内に終わりませんでした。サンドボックスが混んでいるかもしれません。もう一度試してください`,
          `检查没有在 ${timeoutS} 秒内完成，沙箱可能正忙，请再试一次`,
        ),
        inconclusive: true,
      });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const ctx: CheckContext = { sandbox, docker: sandbox.engine(signal), signal, historySince };
    return await Promise.race([evaluate(check, ctx), timedOut]);
  } catch (error) {
    return errorOutcome(error);
  }
}

/**
 * One check, retried until it passes or its `within` window closes; both languages kept.
 *
 * @example
 * const outcome = await evaluateCheck({ kind: 'container', name: 'web', state: 'running' }, sandbox);
 * outcome.message.ja
 */
export async function evaluateCheck(
  check: Check,
  sandbox: Sandbox,
  opts: Omit<RunCheckOptions, 'lang'> = {},
): Promise<Outcome> {
  const deadline =
    Date.now() + (opts.retry === false ? 0 : (check.within ?? DEFAULT_WITHIN_S) * 1000);
  for (;;) {
    const outcome = await attempt(check, sandbox, opts.signal, opts.historySince);
    if (outcome.passed || opts.signal?.aborted || Date.now() + RETRY_EVERY_MS > deadline) {
      if (!outcome.passed && !outcome.inconclusive && check.message) {
        const message = { en: '', ja: '', zh: '' };
        for (const lang of LANGS) message[lang] = pickLang(check.message, lang)!;
        return { passed: false, message };
      }
      return outcome;
    }
    await sleep(RETRY_EVERY_MS, undefined, { signal: opts.signal }).catch(() => undefined);
  }
}

/**
 * A step's checks, concurrently, with messages in the learner's language.
 *
 * @example
 * const result = await runChecks(step.checks, sandbox, { lang: 'ja' });
 * result.passed // true when every check passed
 */
export async function runChecks(
  checks: readonly Check[],
  sandbox: Sandbox,
  opts: RunCheckOptions,
): Promise<CheckOutcome> {
  const outcomes = await Promise.all(checks.map((check) => evaluateCheck(check, sandbox, opts)));
  return {
    passed: outcomes.every((o) => o.passed),
    checks: outcomes.map((o) => ({ passed: o.passed, message: o.message[opts.lang] })),
  };
}
