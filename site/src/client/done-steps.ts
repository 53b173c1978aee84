/**
 * Which steps a learner has done, as the course index and the lesson page both show it: this
 * browser's memory (localStorage, at once) merged with the server's Check history
 * (`GET /api/progress`, by the learner cookie), which also knows other browsers.
 */

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** The server's passes, by lesson; what could not be read is simply missing. */
export type ServerPasses = ReadonlyMap<string, readonly string[]>;

/** At most this many passes are read from one answer (the server sends a few hundred at most). */
const MAX_PASSES = 10_000;

/**
 * The steps the server remembers as passed, by lesson; empty when offline, signed out or
 * talking to an older server, so the page falls back to this browser's memory.
 *
 * @example
 * const passes = await fetchServerPasses();
 * passes.get('images') // ['pull', 'run']
 */
export async function fetchServerPasses(
  fetchImpl: FetchLike = (input, init) => globalThis.fetch(input, init),
): Promise<ServerPasses> {
  const byLesson = new Map<string, string[]>();
  try {
    const res = await fetchImpl('/api/progress');
    if (!res.ok) return byLesson;
    const body = (await res.json()) as { passed?: unknown };
    if (!Array.isArray(body?.passed)) return byLesson;
    for (const p of body.passed.slice(0, MAX_PASSES) as { lesson?: unknown; step?: unknown }[]) {
      if (typeof p?.lesson !== 'string' || typeof p.step !== 'string') continue;
      byLesson.set(p.lesson, [...(byLesson.get(p.lesson) ?? []), p.step]);
    }
  } catch {
    // Offline or not JSON: this browser's memory is all there is.
  }
  return byLesson;
}

/**
 * The lesson's done steps, in lesson order: those this browser passed and those the server
 * remembers, only steps the lesson still has.
 *
 * @example
 * doneSteps(['a', 'b', 'c'], ['c'], ['a', 'gone']) // ['a', 'c']
 */
export function doneSteps(
  steps: readonly string[],
  local: readonly string[],
  server: readonly string[] = [],
): string[] {
  return steps.filter((s) => local.includes(s) || server.includes(s));
}
