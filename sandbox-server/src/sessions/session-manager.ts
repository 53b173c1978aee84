import { HttpError } from '../http/http-error.ts';
import type { Sandbox, SandboxDriver } from '../sandbox/driver.ts';
import type { Lang, SessionDirectory } from '../server/context.ts';
import type { SessionRepository } from '../store/session-repository.ts';
import { endsAt, expiryMessage, expiryReason, extended } from './lifetimes.ts';
import { directSource, type Replay, type SandboxSource } from './sandbox-source.ts';
import { LiveSession } from './session.ts';
import { type SessionView, sessionView } from './session-view.ts';
import type { SessionSettings } from './settings.ts';
import { hashToken, newSessionId, newToken, tokenMatches } from './token.ts';

export interface SessionManagerOptions {
  driver: SandboxDriver;
  repo: SessionRepository;
  settings: SessionSettings;
  /** Max concurrent sandboxes (see capacity.ts). */
  capacity: number;
  /** Where sandboxes come from; default: created on demand (the warm pool plugs in here). */
  source?: SandboxSource;
  /** Replays earlier steps for goto; without it goto answers 501. */
  replay?: Replay;
  /** Whether a lesson has a step, so goto answers 404 for unknown ones before touching the sandbox. */
  stepExists?: (lesson: string, step: string) => Promise<boolean>;
  /** Sandboxes promised to others (open workshop seats): anonymous sessions leave them free. */
  heldSeats?: () => number;
  now?: () => number;
  log?: (message: string) => void;
}

/** Raised inside a provisioning that a newer reset/goto replaced. */
class Superseded extends Error {
  constructor() {
    super('A newer reset or goto replaced this sandbox.');
  }
}

/**
 * Every learner session: creation (with capacity), auth, reset, extend, goto, expiry, and the
 * sandboxes behind them. Whoever creates a sandbox here also destroys it here.
 *
 * @example
 * const sessions = new SessionManager({ driver, repo, settings, capacity: 100 });
 * const { id, token } = sessions.create({ lang: 'en' });
 * const s = sessions.authorize(id, token);
 * await s.sandbox();
 */
export class SessionManager implements SessionDirectory {
  readonly live = new Map<string, LiveSession>();
  private readonly endListeners: ((id: string) => void)[] = [];
  private readonly rotationListeners: ((id: string) => void)[] = [];
  private readonly source: SandboxSource;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private closed = false;
  private readonly probes = new Map<string, { at: number; ok: boolean; message?: string }>();

  constructor(private readonly opts: SessionManagerOptions) {
    this.source = opts.source ?? directSource(opts.driver);
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => {});
  }

  get settings(): SessionSettings {
    return this.opts.settings;
  }

  // --- SessionDirectory -------------------------------------------------------------------

  authorize(id: string, token: string | undefined): LiveSession {
    const s = this.live.get(id);
    if (!s)
      throw new HttpError(
        404,
        'session_not_found',
        `No session "${id}". Create one with POST /api/sessions.`,
      );
    if (!token) {
      throw new HttpError(
        401,
        'unauthorized',
        'This call needs "Authorization: Bearer <token>", the token POST /api/sessions returned.',
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    if (!tokenMatches(token, s.row.tokenHash)) {
      throw new HttpError(
        401,
        'unauthorized',
        'The bearer token does not belong to this session.',
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    return s;
  }

  find(id: string): LiveSession | undefined {
    return this.live.get(id);
  }

  onEnd(listener: (sessionId: string) => void): void {
    this.endListeners.push(listener);
  }

  onTokenRotated(listener: (sessionId: string) => void): void {
    this.rotationListeners.push(listener);
  }

  // --- lifecycle --------------------------------------------------------------------------

  /** Sessions holding (or getting) a sandbox: what capacity counts. */
  activeCount(): number {
    let n = 0;
    for (const s of this.live.values()) if (s.state === 'starting' || s.state === 'ready') n++;
    return n;
  }

  /**
   * Throws 503 + Retry-After when one more sandbox would pass capacity; `held` seats (promised
   * to workshops) count as taken.
   */
  private ensureCapacity(held = 0): void {
    if (this.activeCount() + held < this.opts.capacity) return;
    const now = this.now();
    let soonest = Number.POSITIVE_INFINITY;
    for (const s of this.live.values()) {
      if (s.state === 'starting' || s.state === 'ready') {
        soonest = Math.min(soonest, endsAt(s.row, this.settings.idleMs));
      }
    }
    // Tell the client when a slot is likely to free up, within sensible bounds.
    const retryAfter = Math.min(300, Math.max(5, Math.ceil((soonest - now) / 1000)));
    throw new HttpError(
      503,
      'at_capacity',
      held > 0
        ? `All ${this.opts.capacity} sandboxes on this server are in use or kept for workshops (${held}). Try again in about ${retryAfter} s.`
        : `All ${this.opts.capacity} sandboxes on this server are in use. Try again in about ${retryAfter} s.`,
      { 'Retry-After': String(retryAfter) },
    );
  }

  /** A new session whose sandbox starts in the background (GET says when it is ready). */
  create(input: {
    lang?: Lang;
    lesson?: string;
    learnerId?: string;
    /** A workshop's session: it ends with the workshop (`expiresAt`) and is never idle-reaped. */
    workshop?: { id: string; expiresAt: number };
  }): {
    id: string;
    token: string;
    expiresAt: string;
  } {
    this.ensureCapacity(input.workshop ? 0 : (this.opts.heldSeats?.() ?? 0));
    const now = this.now();
    const token = newToken();
    const s = new LiveSession(
      {
        id: newSessionId(),
        tokenHash: hashToken(token),
        learnerId: input.learnerId ?? null,
        lang: input.lang ?? 'en',
        lesson: input.lesson ?? null,
        step: null,
        state: 'starting',
        message: null,
        sandboxId: null,
        driver: this.opts.driver.name,
        createdAt: now,
        expiresAt: input.workshop?.expiresAt ?? now + this.settings.ttlMs,
        lastActivityAt: now,
        workshopId: input.workshop?.id ?? null,
      },
      this.opts.repo,
      this.now,
    );
    this.opts.repo.insert(s.row);
    this.live.set(s.id, s);
    this.provision(s);
    return { id: s.id, token, expiresAt: new Date(s.row.expiresAt).toISOString() };
  }

  /** The session's public view; a ready session's inner engine is probed (cached ~2 s). */
  async view(s: LiveSession): Promise<SessionView> {
    if (s.state !== 'ready' || !s.current) return sessionView(s, this.settings.idleMs);
    const probe = await this.probe(s.id, s.current);
    return sessionView(
      s,
      this.settings.idleMs,
      probe.ok ? undefined : { state: 'failed', message: probe.message ?? '' },
    );
  }

  /** A fresh sandbox under the same session (revives an expired or failed one). */
  async reset(s: LiveSession, signal?: AbortSignal): Promise<SessionView> {
    await this.renew(s, undefined, signal);
    return this.view(s);
  }

  /** The sandbox brought to the start of `step` by replaying the earlier steps' solutions. */
  async goto(
    s: LiveSession,
    lesson: string,
    step: string,
    signal?: AbortSignal,
  ): Promise<SessionView> {
    if (!this.opts.replay) {
      throw new HttpError(
        501,
        'goto_unavailable',
        'This server cannot replay lessons (no lesson content loaded). Reset the session instead.',
      );
    }
    if (this.opts.stepExists && !(await this.opts.stepExists(lesson, step))) {
      throw new HttpError(404, 'unknown_step', `There is no step "${step}" in lesson "${lesson}".`);
    }
    await this.renew(s, { lesson, step }, signal);
    return this.view(s);
  }

  /** A later `expiresAt`: a full TTL from now, but never past the session's maximum lifetime (409 there). */
  extend(s: LiveSession): SessionView {
    if (s.state === 'expired') {
      throw new HttpError(
        409,
        'session_expired',
        `${s.row.message ?? 'This session has expired.'}`,
      );
    }
    const latest = s.row.createdAt + this.settings.maxLifetimeMs;
    const clocks = extended(s.row, this.settings.ttlMs, this.now(), latest);
    if (clocks.expiresAt >= latest && s.row.expiresAt >= latest) {
      throw new HttpError(
        409,
        'max_lifetime',
        `This session cannot be extended past its maximum lifetime (${new Date(latest).toISOString()}). Start a new session to keep going; your progress is kept.`,
      );
    }
    s.patch(clocks);
    return sessionView(s, this.settings.idleMs);
  }

  /** A later end for the session (a workshop instructor giving a learner more time). */
  extendTo(s: LiveSession, expiresAt: number): SessionView {
    s.patch({ expiresAt: Math.max(s.row.expiresAt, expiresAt), lastActivityAt: this.now() });
    return sessionView(s, this.settings.idleMs);
  }

  /**
   * A new bearer token for the session (a workshop learner re-joining); the old one stops
   * working, and so do the terminal tickets and writers it was given (listeners revoke them).
   */
  rotateToken(s: LiveSession): string {
    const token = newToken();
    s.patch({ tokenHash: hashToken(token) });
    for (const l of this.rotationListeners) {
      try {
        l(s.id);
      } catch (error) {
        this.log(`token rotation listener failed: ${(error as Error).message}`);
      }
    }
    return token;
  }

  /** End the session: its sandbox is destroyed and the session forgotten. */
  async delete(s: LiveSession): Promise<void> {
    this.live.delete(s.id);
    s.generation++;
    s.abort?.abort(new Superseded());
    const sandboxId = s.row.sandboxId;
    this.opts.repo.delete(s.id);
    this.emitEnd(s.id);
    if (sandboxId) await this.destroyQuietly(sandboxId);
  }

  /** Expire sessions past their TTL or idle timeout; forget long-expired ones. Returns ids expired. */
  async reap(): Promise<string[]> {
    const now = this.now();
    const expired: string[] = [];
    for (const s of [...this.live.values()]) {
      if (s.state === 'expired') {
        if (now - s.row.lastActivityAt > this.settings.keepExpiredMs) this.live.delete(s.id);
        continue;
      }
      const reason = expiryReason(s.row, this.settings.idleMs, now);
      // A sandbox still starting is the server's slowness, not the learner's idleness; a
      // workshop learner away at a break keeps their sandbox until the workshop ends.
      if (!reason || (reason === 'idle' && (s.state === 'starting' || s.row.workshopId))) continue;
      expired.push(s.id);
      await this.expire(s, reason);
    }
    this.opts.repo.purgeExpired(now - this.settings.keepExpiredMs);
    return expired;
  }

  /** Stop work in flight without destroying sandboxes (they are re-adopted on the next start). */
  close(): void {
    this.closed = true;
    for (const s of this.live.values()) s.abort?.abort(new Error('The server is shutting down.'));
  }

  // --- internals, also used by adoption.ts --------------------------------------------------

  /** Mark expired, destroy the sandbox, tell listeners. */
  async expire(s: LiveSession, reason: 'ttl' | 'idle' | 'gone'): Promise<void> {
    s.generation++;
    s.abort?.abort(new Superseded());
    const sandboxId = s.row.sandboxId;
    s.current = undefined;
    s.pending = undefined;
    s.patch({ state: 'expired', message: expiryMessage(reason), sandboxId: null });
    this.emitEnd(s.id);
    this.log(`session ${s.id} expired (${reason})`);
    if (sandboxId && reason !== 'gone') await this.destroyQuietly(sandboxId);
  }

  /** Adopt a live sandbox found after a restart. */
  adopt(s: LiveSession, sandbox: Sandbox): void {
    s.current = sandbox;
    s.pending = Promise.resolve(sandbox);
    s.patch({ state: 'ready', sandboxId: sandbox.id, message: null });
  }

  /** Replace the sandbox, optionally replaying a lesson up to a step; resolves when ready. */
  private async renew(
    s: LiveSession,
    target: { lesson: string; step: string } | undefined,
    signal?: AbortSignal,
  ): Promise<void> {
    const revived = s.state === 'expired' || s.state === 'failed';
    if (revived) this.ensureCapacity();
    if (s.state === 'expired') {
      const now = this.now();
      s.patch({ expiresAt: now + this.settings.ttlMs, lastActivityAt: now });
    }
    s.touch();
    // Terminals of the old sandbox end with it.
    this.emitEnd(s.id);
    const pending = this.provision(s, target);
    try {
      await s.sandbox(signal);
    } catch (error) {
      if (s.pending !== pending) throw error;
      throw new HttpError(502, 'sandbox_failed', s.row.message ?? (error as Error).message);
    }
  }

  /** Start (or restart) getting a sandbox for `s`. The returned promise never rejects unhandled. */
  provision(s: LiveSession, target?: { lesson: string; step: string }): Promise<Sandbox> {
    s.abort?.abort(new Superseded());
    const ac = new AbortController();
    s.abort = ac;
    const generation = ++s.generation;
    const oldId = s.row.sandboxId;
    s.current = undefined;
    s.patch({
      state: 'starting',
      message: null,
      sandboxId: null,
      ...(target ? { lesson: target.lesson, step: target.step } : {}),
    });
    const stale = () => generation !== s.generation;
    const pending = (async () => {
      if (oldId) await this.destroyQuietly(oldId);
      let sandbox: Sandbox | undefined;
      try {
        sandbox = await this.source.acquire(s.id, ac.signal);
        if (stale()) throw new Superseded();
        s.patch({ sandboxId: sandbox.id });
        await sandbox.ready(ac.signal);
        if (target)
          await this.opts.replay?.(sandbox, target.lesson, target.step, { signal: ac.signal });
        if (stale()) throw new Superseded();
        s.current = sandbox;
        // The idle clock starts when the learner can use the sandbox, not when they asked.
        s.patch({ state: 'ready', lastActivityAt: Math.max(s.row.lastActivityAt, this.now()) });
        this.probes.delete(s.id);
        return sandbox;
      } catch (error) {
        // Shutting down: leave the row "starting"; the next start re-provisions it and removes
        // any half-made sandbox as an orphan.
        if (this.closed) throw error;
        if (stale() || error instanceof Superseded) {
          // The newer provisioning destroys what we recorded; give back what we did not.
          if (sandbox && s.row.sandboxId !== sandbox.id) await this.destroyQuietly(sandbox.id);
          throw new Superseded();
        }
        const reason = (error as Error).message;
        this.log(`session ${s.id}: sandbox failed: ${reason}`);
        s.patch({
          state: 'failed',
          sandboxId: null,
          message: target
            ? `Could not bring the sandbox to step "${target.step}" of "${target.lesson}": ${reason}. Reset the session or go to the step again.`
            : `Could not start your sandbox: ${reason}. Reset the session to try again; if it keeps failing, the operator should run \`handson doctor\`.`,
        });
        if (sandbox) await this.destroyQuietly(sandbox.id);
        throw error;
      }
    })();
    pending.catch(() => {});
    s.pending = pending;
    return pending;
  }

  private async probe(id: string, sandbox: Sandbox): Promise<{ ok: boolean; message?: string }> {
    const cached = this.probes.get(id);
    const now = this.now();
    if (cached && now - cached.at < 2000) return cached;
    let result: { at: number; ok: boolean; message?: string };
    try {
      await withTimeout(sandbox.engine().ping(), 2000, 'no answer within 2 s');
      result = { at: now, ok: true };
    } catch (error) {
      result = {
        at: now,
        ok: false,
        message: `The Docker engine inside your sandbox is not answering (${(error as Error).message}). If a lesson step restarts it, wait a moment; otherwise reset the session to get a fresh sandbox.`,
      };
    }
    this.probes.set(id, result);
    return result;
  }

  private emitEnd(id: string): void {
    this.probes.delete(id);
    for (const l of this.endListeners) {
      try {
        l(id);
      } catch (error) {
        this.log(`session end listener failed: ${(error as Error).message}`);
      }
    }
  }

  async destroyQuietly(sandboxId: string): Promise<void> {
    try {
      await this.opts.driver.destroy(sandboxId);
    } catch (error) {
      this.log(`could not destroy sandbox ${sandboxId}: ${(error as Error).message}`);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
