import type { Sandbox, SandboxDriver, SandboxSpec } from '../sandbox/driver.ts';

/**
 * Where a session's sandbox comes from. The warm pool implements this (hand out a booted
 * sandbox at once, create one when the pool is empty); without a pool, sandboxes are created
 * on demand.
 */
export interface SandboxSource {
  acquire(sessionId: string, signal?: AbortSignal): Promise<Sandbox>;
}

/**
 * A source that creates a fresh sandbox for every session.
 *
 * @example
 * const source = directSource(driver);
 * const sandbox = await source.acquire('0123abcd');
 */
export function directSource(
  driver: SandboxDriver,
  spec: Omit<SandboxSpec, 'sessionId'> = {},
): SandboxSource {
  return { acquire: (sessionId, signal) => driver.create({ ...spec, sessionId }, signal) };
}

/** Replays a lesson's solutions up to (not including) a step: `lessons/replay.ts` provides it. */
export type Replay = (
  sandbox: Sandbox,
  lessonId: string,
  stepId: string,
  opts: { signal?: AbortSignal },
) => Promise<void>;
