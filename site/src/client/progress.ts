import type { SessionCredentials } from './api-client.ts';

/**
 * What the browser remembers between visits: per lesson, the current step and the steps
 * whose checks passed, and the session (id + token) so a reload resumes the same sandbox.
 * Storage is injectable so unit tests use a plain Map-backed fake.
 */

export interface LessonProgress {
  /** The step the learner is on. */
  step?: string;
  /** Steps whose checks passed, in the order they passed. */
  done: string[];
  /** The step the sandbox was last brought to by `goto` (its earlier steps are replayed). */
  reached?: string;
}

const PROGRESS_KEY = 'handson.progress';
const SESSION_PREFIX = 'handson.session.';

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function readJson<T>(storage: StorageLike, key: string): T | undefined {
  try {
    const raw = storage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

function writeJson(storage: StorageLike, key: string, value: unknown): void {
  try {
    storage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or refused: progress then lives only as long as the page.
  }
}

/**
 * Progress of every lesson, keyed by lesson id.
 *
 * @example
 * const store = new ProgressStore(localStorage);
 * store.markDone('images', 'pull');
 * store.get('images') // { step: undefined, done: ['pull'] }
 */
export class ProgressStore {
  constructor(private readonly storage: StorageLike) {}

  all(): Record<string, LessonProgress> {
    return readJson<Record<string, LessonProgress>>(this.storage, PROGRESS_KEY) ?? {};
  }

  get(lesson: string): LessonProgress {
    const entry = this.all()[lesson];
    return {
      step: entry?.step,
      done: Array.isArray(entry?.done) ? [...entry.done] : [],
      reached: entry?.reached,
    };
  }

  setStep(lesson: string, step: string): void {
    this.update(lesson, (p) => ({ ...p, step }));
  }

  /** Record that `goto` brought the sandbox to `step`; `undefined` after a fresh sandbox. */
  setReached(lesson: string, step: string | undefined): void {
    this.update(lesson, (p) => ({ ...p, reached: step }));
  }

  markDone(lesson: string, step: string): void {
    this.update(lesson, (p) => (p.done.includes(step) ? p : { ...p, done: [...p.done, step] }));
  }

  private update(lesson: string, change: (p: LessonProgress) => LessonProgress): void {
    const all = this.all();
    all[lesson] = change(this.get(lesson));
    writeJson(this.storage, PROGRESS_KEY, all);
  }
}

/** The saved session for a lesson, if any. */
export function loadSession(storage: StorageLike, lesson: string): SessionCredentials | undefined {
  const value = readJson<SessionCredentials>(storage, SESSION_PREFIX + lesson);
  if (!value || typeof value.id !== 'string' || typeof value.token !== 'string') return undefined;
  return value;
}

export function saveSession(storage: StorageLike, lesson: string, s: SessionCredentials): void {
  writeJson(storage, SESSION_PREFIX + lesson, s);
}

export function forgetSession(storage: StorageLike, lesson: string): void {
  try {
    storage.removeItem(SESSION_PREFIX + lesson);
  } catch {
    // Nothing to forget if storage is refused.
  }
}

/**
 * Where a learner should land on a lesson: the remembered step if it still exists,
 * else the first step not done, else the first step.
 *
 * @example
 * resumeStep(['a', 'b', 'c'], { step: undefined, done: ['a'] }) // 'b'
 */
export function resumeStep(steps: readonly string[], progress: LessonProgress): string | undefined {
  if (progress.step && steps.includes(progress.step)) return progress.step;
  return steps.find((s) => !progress.done.includes(s)) ?? steps[0];
}

/**
 * Whether moving to `target` needs the sandbox brought there (`goto`): some earlier step is
 * neither done by the learner nor replayed by an earlier `goto`. Going back, or on to the
 * next step after finishing this one, does not.
 *
 * @example
 * needsGoto(['a', 'b', 'c'], { done: ['a'] }, 'b')               // false — the natural next step
 * needsGoto(['a', 'b', 'c'], { done: ['a'] }, 'c')               // true — skipping b
 * needsGoto(['a', 'b', 'c'], { done: [], reached: 'c' }, 'c')    // false — already brought there
 */
export function needsGoto(
  steps: readonly string[],
  progress: Pick<LessonProgress, 'done' | 'reached'>,
  target: string,
): boolean {
  const targetIndex = steps.indexOf(target);
  if (targetIndex <= 0) return false;
  const reachedIndex = progress.reached ? steps.indexOf(progress.reached) : -1;
  return steps
    .slice(0, targetIndex)
    .some((s, i) => !progress.done.includes(s) && i >= reachedIndex);
}
