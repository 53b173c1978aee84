import { type Lang, langOr } from '#contracts/lang.ts';
import { DomainError } from '../http/domain-error.ts';
import type { Sandbox } from '../sandbox/driver.ts';
import type {
  SessionPatch,
  SessionRepository,
  SessionRow,
  SessionState,
} from '../store/session-repository.ts';
import type { SessionHandle } from './session-handle.ts';
import { newSessionId } from './token.ts';

/** Activity is written to the database at most this often; the in-memory clock is exact. */
const ACTIVITY_WRITE_INTERVAL_MS = 5000;

/**
 * The row of a session just created: starting, with a full TTL (or its workshop's end).
 *
 * @example
 * newSessionRow({ lang: 'en', tokenHash, driver: 'dind', now: Date.now(), ttlMs: 3_600_000 });
 */
export function newSessionRow(input: {
  lang?: Lang;
  lesson?: string;
  learnerId?: string;
  workshop?: { id: string; expiresAt: number };
  tokenHash: string;
  driver: string;
  now: number;
  ttlMs: number;
}): SessionRow {
  const { now } = input;
  return {
    id: newSessionId(),
    tokenHash: input.tokenHash,
    learnerId: input.learnerId ?? null,
    lang: input.lang ?? 'en',
    lesson: input.lesson ?? null,
    step: null,
    state: 'starting',
    message: null,
    sandboxId: null,
    driver: input.driver,
    createdAt: now,
    expiresAt: input.workshop?.expiresAt ?? now + input.ttlMs,
    lastActivityAt: now,
    workshopId: input.workshop?.id ?? null,
  };
}

/**
 * One session in memory: its row (written through to the store), its sandbox once provisioned,
 * and the provisioning in flight. The SessionManager owns the lifecycle; route modules see it
 * as a `SessionHandle`.
 */
export class LiveSession implements SessionHandle {
  /** The sandbox, when state is `ready`. */
  current: Sandbox | undefined;
  /** The provisioning in flight (or last finished); `sandbox()` waits on it. */
  pending: Promise<Sandbox> | undefined;
  /** Cancels the provisioning in flight. */
  abort: AbortController | undefined;
  /** Bumped by each provisioning so a superseded one knows to give its sandbox back. */
  generation = 0;
  private activityWrittenAt: number;
  /** The store writes of this session, in the order they were made (see `write`). */
  private writes: Promise<void> = Promise.resolve();

  constructor(
    readonly row: SessionRow,
    private readonly repo: SessionRepository,
    private readonly now: () => number,
  ) {
    this.activityWrittenAt = row.lastActivityAt;
  }

  get id(): string {
    return this.row.id;
  }
  get lang(): Lang {
    return langOr(this.row.lang);
  }
  get lesson(): string | undefined {
    return this.row.lesson ?? undefined;
  }
  get step(): string | undefined {
    return this.row.step ?? undefined;
  }
  get learnerId(): string | null {
    return this.row.learnerId;
  }
  get state(): SessionState {
    return this.row.state;
  }

  /**
   * Change columns in memory at once and in the store in order; resolves when the store has
   * them (rejects when it refused them).
   */
  patch(p: Partial<SessionRow>): Promise<void> {
    Object.assign(this.row, p);
    const { tokenHash, lesson, step, state, message, sandboxId, expiresAt, lastActivityAt } =
      this.row;
    this.activityWrittenAt = lastActivityAt;
    return this.write((repo, id) =>
      repo.update(id, {
        tokenHash,
        lesson,
        step,
        state,
        message,
        sandboxId,
        expiresAt,
        lastActivityAt,
      } satisfies Required<SessionPatch>),
    );
  }

  /** Write the new session's row; patches made meanwhile follow it. */
  insert(): Promise<void> {
    return this.write((repo) => repo.insert(this.row));
  }

  /** Delete the session's row, after the writes before it. */
  remove(): Promise<void> {
    return this.write((repo, id) => repo.delete(id));
  }

  /** Take a live sandbox found after a restart as this session's own, ready. */
  adopt(sandbox: Sandbox): Promise<void> {
    this.current = sandbox;
    this.pending = Promise.resolve(sandbox);
    return this.patch({ state: 'ready', sandboxId: sandbox.id, message: null });
  }

  touch(): void {
    const now = this.now();
    this.row.lastActivityAt = now;
    if (now - this.activityWrittenAt >= ACTIVITY_WRITE_INTERVAL_MS) {
      this.activityWrittenAt = now;
      // A lost activity write costs nothing: the clock in memory is exact and the next write
      // of this session carries it.
      this.write((repo, id) => repo.update(id, { lastActivityAt: now })).catch(() => undefined);
    }
  }

  /**
   * One write to the store, after this session's earlier ones: a pool of connections (Postgres)
   * could otherwise land an older patch after a newer one. A failed write does not stop the
   * ones after it.
   */
  private write(op: (repo: SessionRepository, id: string) => Promise<void>): Promise<void> {
    const done = this.writes.then(() => op(this.repo, this.row.id));
    this.writes = done.catch(() => undefined);
    return done;
  }

  /**
   * The session's sandbox once its engine answers. Waits through a provisioning in flight
   * (also one that replaces another, as reset and goto do).
   */
  async sandbox(signal?: AbortSignal): Promise<Sandbox> {
    for (;;) {
      if (this.row.state === 'expired') {
        throw new DomainError(
          'conflict',
          'session_expired',
          this.row.message ?? 'This session has expired. Reset it or go to a step to continue.',
        );
      }
      if (this.row.state === 'ready' && this.current) return this.current;
      const pending = this.pending;
      if (!pending || this.row.state === 'failed') {
        throw new DomainError(
          'conflict',
          'session_failed',
          this.row.message ?? 'This session has no sandbox. Reset it to get a fresh one.',
        );
      }
      try {
        return await abortable(pending, signal);
      } catch (error) {
        signal?.throwIfAborted();
        // A reset or goto replaced this provisioning: wait for the new one instead. A failed
        // one left its reason in the row: the next turn reports it.
        if (this.pending !== pending || this.row.state !== 'starting') continue;
        throw error;
      }
    }
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
