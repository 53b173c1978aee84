/**
 * Counts the WebSockets each session holds open, so one session (a script, a runaway tab) cannot
 * hold thousands of them. Per session, never per address: a class shares one address.
 *
 * @example
 * const sockets = new SocketsPerSession(16);
 * const release = sockets.acquire(sessionId);
 * if (!release) refuse(429);
 * else ws.once('close', release);
 */
export class SocketsPerSession {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** A release function for one more socket, or undefined when the session is at its limit. */
  acquire(sessionId: string): (() => void) | undefined {
    const n = this.open.get(sessionId) ?? 0;
    if (n >= this.max) return undefined;
    this.open.set(sessionId, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(sessionId) ?? 1) - 1;
      if (left > 0) this.open.set(sessionId, left);
      else this.open.delete(sessionId);
    };
  }

  /** Sockets the session holds now. */
  count(sessionId: string): number {
    return this.open.get(sessionId) ?? 0;
  }
}
