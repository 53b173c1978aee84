import type { HandsonConfig } from '../config.ts';
import type { OriginPolicy } from '../http/origin-policy.ts';
import type { ProgressRecorder } from '../progress/progress-recorder.ts';
import type { Sandbox, SandboxDriver } from '../sandbox/driver.ts';

/**
 * What route modules (sessions, terminals, checks, files, ports) share: one object built by
 * `handson serve` and passed to each `xxxRoutes(ctx)` factory. Keeping it an interface lets
 * unit tests hand routes a fake, and keeps dockerode/ws/node-pty inside their adapters.
 */

export type Lang = 'ja' | 'en';

/** A learner's session as route modules see it. */
export interface SessionHandle {
  readonly id: string;
  readonly lang: Lang;
  readonly lesson: string | undefined;
  readonly step: string | undefined;
  /** Who the session belongs to (progress is kept per learner); null for old sessions. */
  readonly learnerId?: string | null;
  /** The session's sandbox, waiting until its engine answers. */
  sandbox(signal?: AbortSignal): Promise<Sandbox>;
  /** Record learner activity (typing, checks, file saves) for the idle timeout. */
  touch(): void;
}

export interface SessionDirectory {
  /** The session if `token` is its bearer token; throws HttpError 404 (unknown) or 401 (bad token). */
  authorize(id: string, token: string | undefined): SessionHandle;
  /** The session without auth (for ticket-authenticated WebSocket upgrades), or undefined. */
  find(id: string): SessionHandle | undefined;
  /** Listen for a session ending (expired, deleted, reset), to close its terminals. */
  onEnd(listener: (sessionId: string) => void): void;
  /** Listen for a session's token being replaced, to revoke what the old token was given. */
  onTokenRotated?(listener: (sessionId: string) => void): void;
}

export interface ServerContext {
  config: HandsonConfig;
  driver: SandboxDriver;
  sessions: SessionDirectory;
  /** Where Checks are recorded; absent in tests that need no store. */
  progress?: ProgressRecorder;
  /** The origins (and so the Host names) this server answers: never the request's own Host. */
  origins: OriginPolicy;
}
