import { randomBytes } from 'node:crypto';
import { TERMINAL_LIMITS, type TerminalMode } from '#contracts/terminal-protocol.ts';

export interface Ticket {
  sessionId: string;
  terminal: string;
  mode: TerminalMode;
  expiresAt: number;
}

/** Refused: too many tickets outstanding; one frees up in `retryAfterSeconds`. */
export class TooManyTickets extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * Single-use tickets for WebSocket upgrades: a browser cannot put a bearer token on a
 * WebSocket request, so it trades the token (over authenticated HTTP) for a short-lived ticket
 * that goes in the URL, where a leaked copy is worthless after one use or 30 seconds.
 *
 * @example
 * const store = new TicketStore();
 * const ticket = store.issue({ sessionId, terminal: 'main', mode: 'write' });
 * store.redeem(ticket, sessionId); // the Ticket, then undefined on any later call
 */
export class TicketStore {
  private readonly tickets = new Map<string, Ticket>();

  constructor(
    private readonly ttlMs: number = TERMINAL_LIMITS.ticketTtlMs,
    private readonly now: () => number = Date.now,
    /** Outstanding tickets beyond this are refused, so a client cannot fill memory with them. */
    private readonly maxOutstanding = 10_000,
    /** One session's share, so one learner's loop cannot use up everyone's tickets. */
    private readonly maxPerSession: number = TERMINAL_LIMITS.maxTicketsPerSession,
  ) {}

  /** A new ticket; throws `TooManyTickets` past the session's or the server's limit. */
  issue(grant: Omit<Ticket, 'expiresAt'>): string {
    this.sweep();
    const mine = [...this.tickets.values()].filter((t) => t.sessionId === grant.sessionId);
    if (mine.length >= this.maxPerSession) {
      throw new TooManyTickets(
        `This session already has ${mine.length} unused terminal tickets; use them or wait until they expire.`,
        this.secondsUntil(Math.min(...mine.map((t) => t.expiresAt))),
      );
    }
    if (this.tickets.size >= this.maxOutstanding) {
      throw new TooManyTickets(
        'too many terminal tickets outstanding; try again in 30 seconds',
        Math.ceil(this.ttlMs / 1000),
      );
    }
    const ticket = randomBytes(24).toString('base64url');
    this.tickets.set(ticket, { ...grant, expiresAt: this.now() + this.ttlMs });
    return ticket;
  }

  /** The ticket's grant if it is valid for this session; consumes it either way. */
  redeem(ticket: string, sessionId: string): Ticket | undefined {
    const grant = this.tickets.get(ticket);
    if (!grant) return undefined;
    this.tickets.delete(ticket);
    if (grant.expiresAt <= this.now() || grant.sessionId !== sessionId) return undefined;
    return grant;
  }

  /** Drop every ticket of a session (it ended, or its token was replaced). */
  revokeSession(sessionId: string): void {
    for (const [ticket, grant] of this.tickets) {
      if (grant.sessionId === sessionId) this.tickets.delete(ticket);
    }
  }

  get size(): number {
    return this.tickets.size;
  }

  private secondsUntil(at: number): number {
    return Math.max(1, Math.ceil((at - this.now()) / 1000));
  }

  private sweep(): void {
    const now = this.now();
    for (const [ticket, grant] of this.tickets) {
      if (grant.expiresAt <= now) this.tickets.delete(ticket);
    }
  }
}
