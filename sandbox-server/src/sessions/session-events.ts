/**
 * Word of what happens to sessions, for whoever holds something of theirs: a session ended
 * (its terminals close), a session's token was replaced (what the old token was given is
 * revoked). A listener that throws is logged and never stops the others.
 *
 * @example
 * const events = new SessionEvents(console.error);
 * events.onEnd((id) => hub.endSession(id));
 * events.ended('s1');
 */
export class SessionEvents {
  private readonly endListeners: ((id: string) => void)[] = [];
  private readonly rotationListeners: ((id: string) => void)[] = [];

  constructor(private readonly log: (message: string) => void) {}

  onEnd(listener: (sessionId: string) => void): void {
    this.endListeners.push(listener);
  }

  onTokenRotated(listener: (sessionId: string) => void): void {
    this.rotationListeners.push(listener);
  }

  ended(sessionId: string): void {
    this.tell(this.endListeners, sessionId, 'session end');
  }

  tokenRotated(sessionId: string): void {
    this.tell(this.rotationListeners, sessionId, 'token rotation');
  }

  private tell(listeners: ((id: string) => void)[], sessionId: string, what: string): void {
    for (const l of listeners) {
      try {
        l(sessionId);
      } catch (error) {
        this.log(`${what} listener failed: ${(error as Error).message}`);
      }
    }
  }
}
