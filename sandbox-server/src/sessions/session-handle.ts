import type { Lang } from '#contracts/lang.ts';
import type { SessionAuthority } from '../http/bearer-auth.ts';
import type { Sandbox } from '../sandbox/driver.ts';

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

/**
 * The sessions as route modules see them. Keeping it an interface lets unit tests hand routes
 * a fake, and keeps the session manager's other duties out of the routes' reach.
 */
export interface SessionDirectory extends SessionAuthority<SessionHandle> {
  /** The session if `token` is its bearer token; throws not_found (unknown) or unauthorized. */
  authorize(id: string, token: string | undefined): SessionHandle;
  /** The session without auth (for ticket-authenticated WebSocket upgrades), or undefined. */
  find(id: string): SessionHandle | undefined;
  /** Listen for a session ending (expired, deleted, reset), to close its terminals. */
  onEnd(listener: (sessionId: string) => void): void;
  /** Listen for a session's token being replaced, to revoke what the old token was given. */
  onTokenRotated?(listener: (sessionId: string) => void): void;
}
