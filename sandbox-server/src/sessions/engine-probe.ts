import type { Sandbox } from '../sandbox/driver.ts';

/** How long a probe's answer is reused: a page polling its session must not ping every time. */
const CACHE_MS = 2000;
/** How long an inner engine may take to answer a ping. */
const PING_TIMEOUT_MS = 2000;

export interface ProbeResult {
  ok: boolean;
  /** Why the engine is not usable, in words a learner can act on. */
  message?: string;
}

/**
 * Whether each ready session's inner engine answers, cached for ~2 s per session: a ready
 * session whose engine stopped answering shows as failed, with what to do.
 *
 * @example
 * const probe = new EngineProbe(Date.now);
 * const { ok, message } = await probe.check(session.id, sandbox);
 */
export class EngineProbe {
  private readonly results = new Map<string, ProbeResult & { at: number }>();

  constructor(private readonly now: () => number) {}

  async check(id: string, sandbox: Sandbox): Promise<ProbeResult> {
    const cached = this.results.get(id);
    const now = this.now();
    if (cached && now - cached.at < CACHE_MS) return cached;
    let result: ProbeResult & { at: number };
    try {
      await withTimeout(sandbox.engine().ping(), PING_TIMEOUT_MS, 'no answer within 2 s');
      result = { at: now, ok: true };
    } catch (error) {
      result = {
        at: now,
        ok: false,
        message: `The Docker engine inside your sandbox is not answering (${(error as Error).message}). If a lesson step restarts it, wait a moment; otherwise reset the session to get a fresh sandbox.`,
      };
    }
    this.results.set(id, result);
    return result;
  }

  /** Drop what is known of a session (its sandbox changed or ended). */
  forget(id: string): void {
    this.results.delete(id);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
