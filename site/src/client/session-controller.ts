import {
  type ApiClient,
  ApiError,
  effectiveExpiry,
  READY_WAIT_S,
  type SessionCredentials,
  type SessionInfo,
} from './api-client.ts';
import type { EarlyStart } from './early-session.ts';
import { errorText } from './error-text.ts';
import { langOfTag } from './i18n.ts';
import { forgetSession, loadSession, saveSession } from './progress.ts';
import { nextState, type SessionEvent, type SessionState } from './session-state.ts';

/**
 * Owns one lesson's sandbox session in the browser: resumes the saved one or creates a new
 * one (retrying while the server is at capacity), waits until it is ready, and runs goto,
 * extend and reset. The page renders `state`; this class never touches the DOM.
 */

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface SessionControllerOptions {
  api: ApiClient;
  storage: StorageLike;
  lesson: string;
  lang: string;
  /** The lesson's first step: a fresh start anywhere else names its step to the server. */
  firstStep?: string;
  /** How often to ask whether a starting sandbox is ready. */
  pollMs?: number;
  /** A new session the page began before its big module loaded (`startEarly`); `start()` takes it. */
  early?: Promise<EarlyStart | undefined>;
  now?: () => number;
}

/** How a `start()` ended: `fresh` means a new, empty sandbox (earlier steps not replayed). */
export interface StartResult {
  fresh: boolean;
  /** An expired session was brought back at the requested step by goto. */
  revived?: boolean;
  /** A fresh sandbox that the server already brought to this step (one provisioning). */
  at?: string;
  info: SessionInfo;
}

export class SessionController {
  state: SessionState = { kind: 'idle' };
  credentials: SessionCredentials | undefined;
  private readonly listeners = new Set<(state: SessionState) => void>();
  private readonly pollMs: number;
  private readonly now: () => number;
  /** The early start, until `start()` takes it. */
  private early: Promise<EarlyStart | undefined> | undefined;
  /** The early start's write ticket, until the first `writeTicket()`. */
  private earlyTicket: string | undefined;

  constructor(private readonly opts: SessionControllerOptions) {
    this.pollMs = opts.pollMs ?? 400;
    this.now = opts.now ?? Date.now;
    this.early = opts.early;
  }

  /** A write ticket for the main terminal: the early start's unused one first, then new ones. */
  async writeTicket(): Promise<string> {
    const s = this.requireCredentials();
    const early = this.earlyTicket;
    this.earlyTicket = undefined;
    return early ?? (await this.opts.api.terminalTicket(s, { mode: 'write' })).ticket;
  }

  /** Call `listener` on every state change. */
  onChange(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispatch(event: SessionEvent): void {
    const next = nextState(this.state, event);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener(next);
  }

  /**
   * Resume the saved session if the server still has it (reviving an expired one at `step`
   * with goto), else create one; resolves when the sandbox is ready. Retries by itself on
   * 503/429, showing the countdown through `state`.
   *
   * @example
   * const { fresh } = await controller.start('pull', signal);
   * if (fresh && stepIndex > 0) await controller.goto('pull', signal);
   */
  async start(step?: string, signal?: AbortSignal): Promise<StartResult> {
    this.dispatch({ type: 'start' });
    const early = await this.early;
    this.early = undefined;
    if (early) {
      this.credentials = early.credentials;
      this.earlyTicket = early.ticket;
      this.dispatch({ type: 'ready', expiresAt: effectiveExpiry(early.info) });
      return { fresh: true, info: early.info };
    }
    const saved = loadSession(this.opts.storage, this.opts.lesson);
    if (saved) {
      try {
        const info = await this.opts.api.getSession(saved);
        this.credentials = saved;
        if (info.state === 'ready' || info.state === 'starting') {
          return { fresh: false, info: await this.waitReady(signal) };
        }
        if (info.state === 'expired' && step) {
          // A reaped sandbox comes back through goto, rebuilt up to the learner's step.
          await this.opts.api.goto(saved, { lesson: this.opts.lesson, step });
          return { fresh: false, revived: true, info: await this.waitReady(signal) };
        }
      } catch (error) {
        if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 401)) {
          return this.fail(error);
        }
      }
      this.credentials = undefined;
      forgetSession(this.opts.storage, this.opts.lesson);
    }
    const at = step !== undefined && step !== this.opts.firstStep ? step : undefined;
    return { fresh: true, info: await this.create(signal, at), ...(at ? { at } : {}) };
  }

  /** Bring the sandbox to the start of `step`; resolves when it is ready there. */
  async goto(step: string, signal?: AbortSignal): Promise<SessionInfo> {
    const s = this.requireCredentials();
    this.dispatch({ type: 'preparing' });
    try {
      await this.opts.api.goto(s, { lesson: this.opts.lesson, step });
      return await this.waitReady(signal);
    } catch (error) {
      return this.fail(error);
    }
  }

  async extend(): Promise<void> {
    const s = this.requireCredentials();
    const { expiresAt } = await this.opts.api.extend(s);
    this.credentials = { ...s, expiresAt };
    saveSession(this.opts.storage, this.opts.lesson, this.credentials);
    await this.refresh();
  }

  /**
   * Ask the server how long the session has left (activity moves the idle timeout), so the
   * expiry warning and the expired state follow the server, not just the page's clock.
   */
  async refresh(): Promise<void> {
    const s = this.credentials;
    if (!s || this.state.kind === 'expired') return;
    try {
      const info = await this.opts.api.getSession(s);
      if (info.state === 'expired') this.dispatch({ type: 'expired' });
      else if (info.state === 'ready') {
        this.dispatch({ type: 'extended', expiresAt: effectiveExpiry(info) });
      }
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 401)) {
        this.dispatch({ type: 'expired' });
      }
    }
  }

  /** A fresh sandbox under the same session. */
  async reset(signal?: AbortSignal): Promise<SessionInfo> {
    const s = this.requireCredentials();
    this.dispatch({ type: 'start' });
    try {
      await this.opts.api.reset(s);
      return await this.waitReady(signal);
    } catch (error) {
      return this.fail(error);
    }
  }

  private requireCredentials(): SessionCredentials {
    if (!this.credentials) throw new Error('no session yet: call start() first');
    return this.credentials;
  }

  private async create(signal?: AbortSignal, step?: string): Promise<SessionInfo> {
    for (;;) {
      try {
        const created = await this.opts.api.createSession({
          lesson: this.opts.lesson,
          lang: this.opts.lang,
          ...(step ? { step } : {}),
        });
        this.credentials = created;
        saveSession(this.opts.storage, this.opts.lesson, created);
        this.dispatch({ type: 'start' });
        return await this.waitReady(signal);
      } catch (error) {
        if (error instanceof ApiError && (error.status === 503 || error.status === 429)) {
          const seconds = error.retryAfter ?? 5;
          const retryAt = this.now() + seconds * 1000;
          this.dispatch(
            error.status === 429
              ? { type: 'tooMany', retryAt }
              : error.code === 'disk_low'
                ? { type: 'noCapacity', retryAt, reason: 'disk' }
                : { type: 'noCapacity', retryAt },
          );
          await delay(seconds * 1000, signal);
          this.dispatch({ type: 'start' });
          continue;
        }
        return this.fail(error);
      }
    }
  }

  /** Poll the session until its sandbox is ready (or has failed / expired). */
  private async waitReady(signal?: AbortSignal): Promise<SessionInfo> {
    const s = this.requireCredentials();
    for (;;) {
      const asked = this.now();
      const info = await this.opts.api.getSession(s, READY_WAIT_S);
      if (info.state === 'ready') {
        this.credentials = { ...s, expiresAt: info.expiresAt };
        saveSession(this.opts.storage, this.opts.lesson, this.credentials);
        this.dispatch({ type: 'ready', expiresAt: effectiveExpiry(info) });
        return info;
      }
      if (info.state === 'expired') {
        this.dispatch({ type: 'expired' });
        throw new ApiError(410, 'expired', 'the sandbox expired', undefined);
      }
      if (info.state === 'failed') {
        throw new ApiError(500, 'failed', info.message ?? 'the sandbox failed to start', undefined);
      }
      // The server holds the request until the sandbox is ready; one that answered at once
      // (an older server) is asked again a moment later.
      const waited = this.now() - asked;
      if (waited < this.pollMs) await delay(this.pollMs - waited, signal);
    }
  }

  private fail(error: unknown): never {
    const message = errorText(langOfTag(this.opts.lang) ?? 'en', error);
    if (!(error instanceof ApiError && error.code === 'expired')) {
      this.dispatch({ type: 'failed', message });
    }
    throw error;
  }
}

/** Resolve after `ms`, or reject when `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
