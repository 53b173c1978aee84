import type { CellState, DashboardLearner, DashboardStep } from '#contracts/workshop.ts';
import type { CheckAttempt } from '../store/attempt-repository.ts';

/**
 * The instructor's grid, computed from check attempts alone (pure, so it is tested alone): a
 * learner's current step is the first one not passed, in workshop order; time on it counts
 * from the previous step's pass (or from joining).
 */

/** A learner is stuck after this long on one step… */
export const STUCK_AFTER_MS = 10 * 60_000;
/** …or after this many failed checks on it. */
export const STUCK_AFTER_FAILURES = 3;

export interface LearnerInput {
  learner: string;
  name: string;
  session: string;
  sessionState: DashboardLearner['sessionState'];
  joinedAt: number;
  attempts: readonly CheckAttempt[];
}

const key = (lesson: string, step: string) => `${lesson}\u0000${step}`;

/**
 * One learner's row of the grid.
 *
 * @example
 * learnerRow(steps, { learner: 'l1', name: 'Aki', session: 's1', sessionState: 'ready', joinedAt, attempts }, Date.now())
 */
export function learnerRow(
  steps: readonly DashboardStep[],
  input: LearnerInput,
  now: number,
): DashboardLearner {
  const passedAt = new Map<string, number>();
  const failures = new Map<string, { count: number; last: string | null }>();
  for (const a of input.attempts) {
    const k = key(a.lesson, a.step);
    if (a.passed) {
      if (!passedAt.has(k)) passedAt.set(k, a.at);
    } else if (!passedAt.has(k)) {
      const f = failures.get(k) ?? { count: 0, last: null };
      failures.set(k, { count: f.count + 1, last: a.message ?? f.last });
    }
  }
  const currentIndex = steps.findIndex((s) => !passedAt.has(key(s.lesson, s.step)));
  const cells: CellState[] = steps.map((s, i) => {
    const k = key(s.lesson, s.step);
    if (passedAt.has(k)) return 'done';
    if (failures.has(k)) return 'failing';
    return i === currentIndex ? 'working' : 'todo';
  });
  const current = currentIndex === -1 ? null : steps[currentIndex]!;
  // Time on the current step: since the latest pass before it, or since joining.
  let since = input.joinedAt;
  for (const [k, at] of passedAt) {
    const index = steps.findIndex((s) => key(s.lesson, s.step) === k);
    if (index !== -1 && index < currentIndex) since = Math.max(since, at);
  }
  const failure = current ? failures.get(key(current.lesson, current.step)) : undefined;
  const onStepMs = current ? Math.max(0, now - since) : 0;
  const failedAttempts = failure?.count ?? 0;
  return {
    learner: input.learner,
    name: input.name,
    session: input.session,
    sessionState: input.sessionState,
    cells,
    passed: cells.filter((c) => c === 'done').length,
    current,
    onStepMs,
    failedAttempts,
    lastFailure: failure?.last ?? null,
    stuck:
      current !== null && (onStepMs >= STUCK_AFTER_MS || failedAttempts >= STUCK_AFTER_FAILURES),
  };
}

/**
 * Stuck learners first (longest on their step first), then everyone else with the least
 * progress first, so the people who need the instructor are at the top.
 *
 * @example
 * sortForInstructor(rows)[0].stuck // true when anyone is stuck
 */
export function sortForInstructor(rows: readonly DashboardLearner[]): DashboardLearner[] {
  return [...rows].sort((a, b) => {
    if (a.stuck !== b.stuck) return a.stuck ? -1 : 1;
    if (a.stuck) return b.onStepMs - a.onStepMs;
    if (a.passed !== b.passed) return a.passed - b.passed;
    if (a.onStepMs !== b.onStepMs) return b.onStepMs - a.onStepMs;
    return a.name.localeCompare(b.name);
  });
}
