import { TERMINAL_LIMITS } from '#contracts/terminal-protocol.ts';

/**
 * Byte-ack accounting for one consumer of terminal output (the writer's socket, or the
 * server's own headless screen). Hysteresis keeps the shell from flapping between paused and
 * running: hold back above `high` unacked bytes, let go only below `low`.
 *
 * @example
 * const flow = new AckWindow();
 * if (flow.sent(chunk.length)) gate.hold('writer');
 * if (flow.acked(n)) gate.release('writer');
 */
export class AckWindow {
  private unackedBytes = 0;
  private holding = false;

  constructor(
    readonly high: number = TERMINAL_LIMITS.highWaterBytes,
    readonly low: number = TERMINAL_LIMITS.lowWaterBytes,
  ) {}

  get unacked(): number {
    return this.unackedBytes;
  }

  /** Whether this consumer currently holds the producer back. */
  get blocking(): boolean {
    return this.holding;
  }

  /** Count bytes handed to the consumer; true when this crossed the high-water mark. */
  sent(bytes: number): boolean {
    this.unackedBytes += bytes;
    if (!this.holding && this.unackedBytes > this.high) {
      this.holding = true;
      return true;
    }
    return false;
  }

  /** Count bytes the consumer says it consumed; true when this fell below the low-water mark. */
  acked(bytes: number): boolean {
    // A client cannot ack more than it was sent; clamp so a lying client cannot bank credit.
    this.unackedBytes = Math.max(0, this.unackedBytes - bytes);
    if (this.holding && this.unackedBytes < this.low) {
      this.holding = false;
      return true;
    }
    return false;
  }
}

/**
 * Pauses a producer while any named holder wants it paused; resumes when the last lets go.
 *
 * @example
 * const gate = new PauseGate(() => tty.pause(), () => tty.resume());
 * gate.hold('writer'); gate.hold('screen'); gate.release('writer'); // still paused
 */
export class PauseGate {
  private readonly holders = new Set<string>();

  constructor(
    private readonly pause: () => void,
    private readonly resume: () => void,
  ) {}

  get paused(): boolean {
    return this.holders.size > 0;
  }

  hold(holder: string): void {
    const wasPaused = this.paused;
    this.holders.add(holder);
    if (!wasPaused) this.pause();
  }

  release(holder: string): void {
    if (!this.holders.delete(holder)) return;
    if (!this.paused) this.resume();
  }
}

/**
 * A token bucket: at most `ratePerSecond` units per second, with a burst of the same size.
 *
 * @example
 * const input = new TokenBucket(256 * 1024);
 * if (!input.take(frame.length)) sendError('input too fast');
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = ratePerSecond;
    this.last = now();
  }

  take(amount: number): boolean {
    const t = this.now();
    this.tokens = Math.min(
      this.ratePerSecond,
      this.tokens + ((t - this.last) / 1000) * this.ratePerSecond,
    );
    this.last = t;
    if (amount > this.tokens) return false;
    this.tokens -= amount;
    return true;
  }
}

/**
 * What one terminal may print per second, however fast its reader acks: output already read is
 * always passed on (no byte is lost), and `spend` says how long the producer must then pause
 * for the terminal to be back within its rate. Bounds the server's thread one flooding
 * terminal can take from the others (the screen, the WebSocket and the TTY all cost per byte).
 *
 * @example
 * const budget = new OutputBudget(8 * 1024 * 1024);
 * const waitMs = budget.spend(chunk.length);
 * if (waitMs > 0) { gate.hold('budget'); setTimeout(() => gate.release('budget'), waitMs); }
 */
export class OutputBudget {
  private tokens: number;
  private last: number;

  constructor(
    readonly bytesPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = bytesPerSecond;
    this.last = now();
  }

  /** Count `bytes` printed; the milliseconds to pause the producer for (0: go on). */
  spend(bytes: number): number {
    const t = this.now();
    this.tokens = Math.min(
      this.bytesPerSecond,
      this.tokens + ((t - this.last) / 1000) * this.bytesPerSecond,
    );
    this.last = t;
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.bytesPerSecond) * 1000);
  }
}
