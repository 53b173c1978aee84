/**
 * When each step of a session last passed its checks, so a `history` check looks only at the
 * commands run since the step before it passed (ARCHITECTURE.md: "the step's terminal" during the
 * step, not anything typed in the sandbox's life). Kept in memory per session object: after a
 * server restart a step's history check counts every command again, which can only be kinder.
 */

const passes = new WeakMap<object, Map<string, number>>();

const key = (lesson: string, step: string) => `${lesson}\u0000${step}`;

/** Note that `step` of `lesson` passed at `at` (ms since the epoch). */
export function notePass(session: object, lesson: string, step: string, at: number): void {
  const steps = passes.get(session) ?? new Map<string, number>();
  passes.set(session, steps);
  steps.set(key(lesson, step), at);
}

/**
 * The moment the learner's work on `step` began as far as history goes: the latest pass of any
 * step before it in the lesson, or undefined when none passed in this session.
 *
 * @example
 * stepBegan(session, 'lesson-01', ['a', 'b', 'c'], 'c') // the later of a's and b's passes
 */
export function stepBegan(
  session: object,
  lesson: string,
  stepIds: readonly string[],
  step: string,
): number | undefined {
  const steps = passes.get(session);
  if (!steps) return undefined;
  let latest: number | undefined;
  for (const id of stepIds) {
    if (id === step) break;
    const at = steps.get(key(lesson, id));
    if (at !== undefined && (latest === undefined || at > latest)) latest = at;
  }
  return latest;
}
