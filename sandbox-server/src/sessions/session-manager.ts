import type { CreatedSession } from '#contracts/http-api.ts';
import type { Lang } from '#contracts/lang.ts';
import { DomainError } from '../http/domain-error.ts';
import type { Sandbox, SandboxDriver } from '../sandbox/driver.ts';
import type { SessionRepository } from '../store/session-repository.ts';
import { activeSessions, ensureRoom, ensureSandboxAdmitted } from './capacity-guard.ts';
import { EngineProbe } from './engine-probe.ts';
import { expiryMessage } from './lifetimes.ts';
import { provision, Superseded } from './provisioning.ts';
import { sweepSessions } from './reaper.ts';
import { directSource, type Replay, type SandboxSource } from './sandbox-source.ts';
import { LiveSession, newSessionRow } from './session.ts';
import { authorizeSession } from './session-auth.ts';
import { SessionEvents } from './session-events.ts';
import { extensionOf } from './session-extension.ts';
import type { SessionDirectory } from './session-handle.ts';
import { type SessionView, sessionView } from './session-view.ts';
import type { SessionSettings } from './settings.ts';
import { hashToken, newToken } from './token.ts';

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
  heldSeats?: () => number | Promise<number>;
  now?: () => number;
  log?: (message: string) => void;
}

/**
 * Every learner session: creation (with capacity), auth, reset, extend, goto, expiry, and the
 * sandboxes behind them. Whoever creates a sandbox here also destroys it here.
 *
 * @example
 * const sessions = new SessionManager({ driver, repo, settings, capacity: 100 });
 * const { id, token } = await sessions.create({ lang: 'en' });
 * const s = sessions.authorize(id, token);
 * await s.sandbox();
 */
export class SessionManager implements SessionDirectory {
  readonly live = new Map<string, LiveSession>();
  private readonly events: SessionEvents;
  private readonly source: SandboxSource;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private closed = false;
  private readonly probes: EngineProbe;

  constructor(private readonly opts: SessionManagerOptions) {
    this.source = opts.source ?? directSource(opts.driver);
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => {});
    this.events = new SessionEvents(this.log);
    this.probes = new EngineProbe(this.now);
  }

  get settings(): SessionSettings {
    return this.opts.settings;
  }

  // --- SessionDirectory -------------------------------------------------------------------

  authorize(id: string, token: string | undefined): LiveSession {
    return authorizeSession(this.live, id, token);
  }

  find(id: string): LiveSession | undefined {
    return this.live.get(id);
  }

  /**
   * Set on a replica of a cluster: asked for a session this process does not hold, before the
   * lookup (the replica takes over the sessions of replicas that died).
   */
  whenUnknown: ((id: string) => Promise<void>) | undefined;

  /** Before `authorize`: give `whenUnknown` its chance when `id` is not held here. */
  async arrive(id: string): Promise<void> {
    if (!this.live.has(id)) await this.whenUnknown?.(id);
  }

  onEnd(listener: (sessionId: string) => void): void {
    this.events.onEnd(listener);
  }

  onTokenRotated(listener: (sessionId: string) => void): void {
    this.events.onTokenRotated(listener);
  }

  // --- lifecycle --------------------------------------------------------------------------

  /** Sessions holding (or getting) a sandbox: what capacity counts. */
  activeCount(): number {
    return activeSessions(this.live.values());
  }

  /**
   * Throws at_capacity (503 + Retry-After) when one more sandbox would pass capacity; `held`
   * seats (promised to workshops) count as taken.
   */
  private ensureCapacity(held = 0): void {
    ensureRoom(this.live.values(), this.opts.capacity, this.settings.idleMs, this.now(), held);
  }

  /** A new session whose sandbox starts in the background (GET says when it is ready). */
  async create(input: {
    lang?: Lang;
    lesson?: string;
    /** Start at this step of `lesson` (its earlier steps replayed); see `assertStep` first. */
    step?: string;
    learnerId?: string;
    /** A workshop's session: it ends with the workshop (`expiresAt`) and is never idle-reaped. */
    workshop?: { id: string; expiresAt: number };
  }): Promise<Omit<CreatedSession, 'learner'>> {
    const held = input.workshop ? 0 : ((await this.opts.heldSeats?.()) ?? 0);
    // From the capacity check to live.set nothing awaits: two creates cannot both take the
    // last seat.
    this.ensureCapacity(held);
    ensureSandboxAdmitted(this.opts.driver.refusesNewSandbox?.());
    const token = newToken();
    const s = new LiveSession(
      newSessionRow({
        ...input,
        tokenHash: hashToken(token),
        driver: this.opts.driver.name,
        now: this.now(),
        ttlMs: this.settings.ttlMs,
      }),
      this.opts.repo,
      this.now,
    );
    this.live.set(s.id, s);
    try {
      await s.insert();
    } catch (error) {
      this.live.delete(s.id);
      throw error;
    }
    const target =
      input.lesson && input.step ? { lesson: input.lesson, step: input.step } : undefined;
    this.provision(s, target);
    return { id: s.id, token, expiresAt: new Date(s.row.expiresAt).toISOString() };
  }

  /** The session's public view; a ready session's inner engine is probed (cached ~2 s). */
  async view(s: LiveSession): Promise<SessionView> {
    if (s.state !== 'ready' || !s.current) return sessionView(s, this.settings.idleMs);
    const probe = await this.probes.check(s.id, s.current);
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
    await this.assertStep(lesson, step);
    await this.renew(s, { lesson, step }, signal);
    return this.view(s);
  }

  /** Throws unless this server can bring a sandbox to `step` of `lesson` (goto, create at a step). */
  async assertStep(lesson: string, step: string): Promise<void> {
    if (!this.opts.replay) {
      throw new DomainError(
        'unsupported',
        'goto_unavailable',
        'This server cannot replay lessons (no lesson content loaded). Reset the session instead.',
      );
    }
    if (this.opts.stepExists && !(await this.opts.stepExists(lesson, step))) {
      throw new DomainError(
        'not_found',
        'unknown_step',
        `There is no step "${step}" in lesson "${lesson}".`,
      );
    }
  }

  /** A later `expiresAt`: a full TTL from now, but never past the session's maximum lifetime (409 there). */
  async extend(s: LiveSession): Promise<SessionView> {
    await s.patch(extensionOf(s.row, this.settings, this.now()));
    return sessionView(s, this.settings.idleMs);
  }

  /** A later end for the session (a workshop instructor giving a learner more time). */
  async extendTo(s: LiveSession, expiresAt: number): Promise<SessionView> {
    await s.patch({ expiresAt: Math.max(s.row.expiresAt, expiresAt), lastActivityAt: this.now() });
    return sessionView(s, this.settings.idleMs);
  }

  /**
   * A new bearer token for the session (a workshop learner re-joining); the old one stops
   * working, and so do the terminal tickets and writers it was given (listeners revoke them).
   */
  async rotateToken(s: LiveSession): Promise<string> {
    const token = newToken();
    // The old token stops working in memory at once, before the store has the new one.
    const written = s.patch({ tokenHash: hashToken(token) });
    this.events.tokenRotated(s.id);
    await written;
    return token;
  }

  /** End the session: its sandbox is destroyed and the session forgotten. */
  async delete(s: LiveSession): Promise<void> {
    this.live.delete(s.id);
    s.generation++;
    s.abort?.abort(new Superseded());
    const sandboxId = s.row.sandboxId;
    const removed = s.remove();
    removed.catch(() => undefined); // awaited below, once the sandbox is gone
    this.emitEnd(s.id);
    if (sandboxId) await this.destroyQuietly(sandboxId);
    await removed;
  }

  /** Expire sessions past their TTL or idle timeout; forget long-expired ones. Returns ids expired. */
  reap(): Promise<string[]> {
    return sweepSessions(this.live, this.settings, this.now(), {
      expire: (s, reason) => this.expire(s, reason),
      purgeExpired: (before) => this.opts.repo.purgeExpired(before),
    });
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
    const written = s.patch({ state: 'expired', message: expiryMessage(reason), sandboxId: null });
    this.emitEnd(s.id);
    this.log(`session ${s.id} expired (${reason})`);
    written.catch(() => undefined); // awaited below, once the sandbox is gone
    if (sandboxId && reason !== 'gone') await this.destroyQuietly(sandboxId);
    await written;
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
      await s.patch({ expiresAt: now + this.settings.ttlMs, lastActivityAt: now });
    }
    s.touch();
    // Terminals of the old sandbox end with it.
    this.emitEnd(s.id);
    const pending = this.provision(s, target);
    try {
      await s.sandbox(signal);
    } catch (error) {
      if (s.pending !== pending) throw error;
      throw new DomainError(
        'upstream',
        'sandbox_failed',
        s.row.message ?? (error as Error).message,
      );
    }
  }

  /** Start (or restart) getting a sandbox for `s`. The returned promise never rejects unhandled. */
  provision(s: LiveSession, target?: { lesson: string; step: string }): Promise<Sandbox> {
    return provision(s, target, {
      source: this.source,
      replay: this.opts.replay,
      now: this.now,
      log: this.log,
      closed: () => this.closed,
      destroyQuietly: (id) => this.destroyQuietly(id),
      onReady: (id) => this.probes.forget(id),
    });
  }

  private emitEnd(id: string): void {
    this.probes.forget(id);
    this.events.ended(id);
  }

  async destroyQuietly(sandboxId: string): Promise<void> {
    try {
      await this.opts.driver.destroy(sandboxId);
    } catch (error) {
      this.log(`could not destroy sandbox ${sandboxId}: ${(error as Error).message}`);
    }
  }
}
