import type { HandsonConfig } from '../config.ts';
import type { DriverName, SandboxDriver } from '../sandbox/driver.ts';
import type { Replay } from '../sessions/sandbox-source.ts';

/**
 * Modules built in parallel by other parts of the project (the sandbox drivers, lesson replay,
 * the lesson catalog), loaded by path so the server starts, and its tests run, whichever of
 * them exist yet. Each loader says clearly what is missing.
 */

async function load(specifier: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String(error).includes(specifier.split('/').pop()!)) {
      return undefined;
    }
    throw error;
  }
}

/**
 * The named sandbox driver (`sandbox/index.ts` → `createDriver(name, cfg)`).
 *
 * @example
 * const driver = await loadDriver('dind', loadConfig());
 */
export async function loadDriver(name: DriverName, cfg: HandsonConfig): Promise<SandboxDriver> {
  const mod = await load(new URL('../sandbox/index.ts', import.meta.url).href);
  const create = mod?.createDriver as
    | ((name: DriverName, cfg: HandsonConfig) => SandboxDriver | Promise<SandboxDriver>)
    | undefined;
  if (!create) {
    throw new Error(
      `The "${name}" sandbox driver is not part of this build (sandbox-server/src/sandbox/index.ts has no createDriver).`,
    );
  }
  return await create(name, cfg);
}

/** Lesson replay for goto (`lessons/replay.ts` → `replayUntil`), or undefined when absent. */
export async function loadReplay(): Promise<Replay | undefined> {
  const mod = await load(new URL('../lessons/replay.ts', import.meta.url).href);
  return mod?.replayUntil as Replay | undefined;
}

/** Whether a lesson has a step (the lesson catalog), or undefined when no catalog exists. */
export async function loadStepLookup(
  cfg: HandsonConfig,
): Promise<((lesson: string, step: string) => Promise<boolean>) | undefined> {
  const mod = await load(new URL('../lessons/catalog.ts', import.meta.url).href);
  const catalogFor = mod?.lessonCatalog as
    | ((dir: string) => { step(l: string, s: string): Promise<unknown> })
    | undefined;
  const dirOf = mod?.contentDir as ((c: HandsonConfig) => string) | undefined;
  if (!catalogFor || !dirOf) return undefined;
  const catalog = catalogFor(dirOf(cfg));
  return async (lesson, step) => (await catalog.step(lesson, step)) !== undefined;
}
