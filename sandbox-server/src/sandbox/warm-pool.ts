import { LABELS } from '../config.ts';
import type { Sandbox, SandboxDriver, SandboxSpec } from './driver.ts';

/** Session id recorded on pool sandboxes until they are handed out (labels cannot change later). */
export const POOL_SESSION = 'warm-pool';

/**
 * How long a pooled sandbox may take to prove it is alive before it is handed out: a booted one
 * answers in milliseconds, a dead one (killed behind the server's back) fails in about half a
 * second; one that hangs longer is treated as dead too.
 */
const ALIVE_CHECK_MS = 5000;

export interface WarmPoolOptions {
  /** How many booted sandboxes to keep ready (default 2). */
  size?: number;
  /** Spec for pool sandboxes (limits, extra labels). */
  spec?: Omit<SandboxSpec, 'sessionId'>;
  /**
   * Sandboxes booted at the same time (default 2): booting a class's worth at once on a small
   * machine makes every one of them slow, and the learners already in class too.
   */
  concurrency?: number;
  /**
   * How many sandboxes the host has room for beyond those handed out (capacity minus the
   * sessions' own): the pool's ready and booting ones count against it, so a full server
   * boots no spares it could not hand out. Default: no bound.
   */
  room?: () => number;
  /**
   * Readies a booted sandbox further before it waits in the pool (the server starts its main
   * shell, so its learner attaches instead of starting one). A failure is reported to `onError`
   * and the sandbox is still handed out: what was not prepared is done on demand.
   */
  prepare?: (sandbox: Sandbox) => Promise<void>;
  /** Called when a background refill fails (the pool retries on the next acquire). */
  onError?: (err: unknown) => void;
}

/**
 * Keeps `size` sandboxes booted (inner engine answering) so a learner gets one at once.
 * `acquire` hands out a ready one and refills in the background, or creates one when the pool
 * is empty. Pool sandboxes carry LABELS.pool=true and session "warm-pool" on the engine; the
 * caller records which session got which sandbox id (the store), and the returned Sandbox
 * reports the session it was handed to.
 *
 * @example
 * const pool = new WarmPool(driver, { size: 2 });
 * pool.fill();
 * const sandbox = await pool.acquire('session-1');
 * await pool.drain();
 */
export class WarmPool {
  private target: number;
  private readonly concurrency: number;
  private readonly ready: Sandbox[] = [];
  private booting = 0;
  private draining = false;
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly driver: SandboxDriver,
    private readonly opts: WarmPoolOptions = {},
  ) {
    this.target = opts.size ?? 2;
    this.concurrency = Math.max(1, opts.concurrency ?? 2);
  }

  /** How many booted sandboxes the pool keeps. */
  get size(): number {
    return this.target;
  }

  /**
   * Keep `size` sandboxes booted from now on (a workshop about to start grows it; extra
   * booted ones beyond a smaller size are handed out first, not destroyed).
   *
   * @example
   * pool.resize(2 + seatsStillFree); // a class of 30 is about to join
   */
  resize(size: number): void {
    this.target = Math.max(0, Math.floor(size));
    this.fill();
  }

  /** Number of booted sandboxes waiting to be handed out. */
  get available(): number {
    return this.ready.length;
  }

  /** Start booting sandboxes until `size` are ready or booting (or the host has no room). */
  fill(): void {
    while (
      !this.draining &&
      this.ready.length + this.booting < Math.min(this.target, this.opts.room?.() ?? Infinity) &&
      this.booting < this.concurrency
    ) {
      this.booting++;
      let booted = false;
      const job = this.boot()
        .then((sandbox) => {
          booted = true;
          if (this.draining) return this.driver.destroy(sandbox.id);
          this.ready.push(sandbox);
        })
        .catch((err: unknown) => this.opts.onError?.(err))
        .finally(() => {
          this.booting--;
          this.inflight.delete(job);
          // The next one starts as soon as a slot frees up; after a failure, only on the next
          // acquire, so a broken engine is not hammered in a loop.
          if (booted) this.fill();
        });
      this.inflight.add(job);
    }
  }

  /** Resolves when every sandbox being booted now has finished (ready or failed). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /**
   * A booted sandbox for `sessionId`: from the pool at once, or created now if it is empty.
   * Either way the pool refills in the background. A pooled sandbox that died while it waited
   * is destroyed and the next one (or a new one) is handed out instead: the learner only waits.
   */
  async acquire(sessionId: string, signal?: AbortSignal): Promise<Sandbox> {
    if (this.draining) throw new Error('The warm pool is shutting down; try again in a moment.');
    for (let pooled = this.ready.shift(); pooled; pooled = this.ready.shift()) {
      this.fill();
      if (await isAlive(pooled, signal)) return forSession(pooled, sessionId);
      signal?.throwIfAborted();
      this.opts.onError?.(new Error(`pooled sandbox ${pooled.id} was dead; replacing it`));
      this.driver.destroy(pooled.id).catch((err: unknown) => this.opts.onError?.(err));
    }
    this.fill();
    const sandbox = await this.driver.create({ ...this.opts.spec, sessionId }, signal);
    try {
      await sandbox.ready(signal);
    } catch (err) {
      await this.driver.destroy(sandbox.id).catch(() => undefined);
      throw err;
    }
    return sandbox;
  }

  /** Stop refilling and destroy every sandbox still waiting in the pool. */
  async drain(): Promise<void> {
    this.draining = true;
    await this.settled();
    const waiting = this.ready.splice(0);
    await Promise.allSettled(waiting.map((s) => this.driver.destroy(s.id)));
  }

  private async boot(): Promise<Sandbox> {
    const sandbox = await this.driver.create({
      ...this.opts.spec,
      sessionId: POOL_SESSION,
      labels: { ...this.opts.spec?.labels, [LABELS.pool]: 'true' },
    });
    try {
      await sandbox.ready(AbortSignal.timeout(60_000));
    } catch (err) {
      await this.driver.destroy(sandbox.id).catch(() => undefined);
      throw err;
    }
    await this.opts.prepare?.(sandbox).catch((err: unknown) => this.opts.onError?.(err));
    return sandbox;
  }
}

/** Whether a pooled sandbox's inner engine still answers (quickly). */
async function isAlive(sandbox: Sandbox, signal?: AbortSignal): Promise<boolean> {
  const deadline = AbortSignal.timeout(ALIVE_CHECK_MS);
  try {
    await sandbox.ready(signal ? AbortSignal.any([signal, deadline]) : deadline);
    return true;
  } catch {
    return false;
  }
}

/** The same sandbox, reporting the session it now belongs to. */
function forSession(sandbox: Sandbox, sessionId: string): Sandbox {
  return new Proxy(sandbox, {
    get(target, prop, receiver) {
      if (prop === 'sessionId') return sessionId;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
