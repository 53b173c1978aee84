import { CLOSE_CODES, TERMINAL_LIMITS } from '#contracts/terminal-protocol.ts';
import type { TtyProcess } from '../sandbox/driver.ts';
import { OutputBudget, PauseGate } from './flow-control.ts';
import { type BufferMark, HeadlessScreen } from './headless-screen.ts';
import { latestThrottle } from './latest-throttle.ts';
import { OutputBatcher } from './output-batcher.ts';
import { ScreenSaver } from './screen-saver.ts';
import { screenQuiet, type WaitForOptions, waitForScreen } from './screen-wait.ts';
import { type Attachment, TerminalAudience, type TerminalClient } from './terminal-audience.ts';

export type { WaitForOptions } from './screen-wait.ts';
export type { Attachment, TerminalClient } from './terminal-audience.ts';

export interface TerminalSessionOptions {
  cols: number;
  rows: number;
  /** Ends the shell and everything it started (beyond killing the TTY process itself). */
  kill?: () => Promise<void>;
  /** A screen saved by an earlier server (escape sequences), shown before the shell's output. */
  initialScreen?: string;
  /** Saves the screen so a restarted server can show it; called when it changed, and on release. */
  persist?: (screen: string) => Promise<void>;
  /** Output per second beyond which the shell is paused (default OUTPUT_BYTES_PER_SECOND). */
  outputBytesPerSecond?: number;
}

/**
 * A terminal prints at most this much per second: several times what a person can follow or a
 * browser's xterm draws, and a bound on the server's thread one flood takes from everyone else.
 */
export const OUTPUT_BYTES_PER_SECOND = 8 * 1024 * 1024;

/**
 * A shell with a TTY, its screen kept by the server, one writer and any number of read-only
 * viewers (its audience, terminal-audience.ts). Only the writer's acks hold the shell back; the
 * server's own screen holds it back too while its parser is behind, so memory stays bounded
 * whatever the shell prints.
 *
 * @example
 * const term = new TerminalSession('main', tty, { cols: 120, rows: 40 });
 * term.write('echo hi\r');
 * await term.waitFor(/^hi$/m);
 * await term.close();
 */
export class TerminalSession {
  private readonly screen: HeadlessScreen;
  private readonly gate: PauseGate;
  private readonly audience: TerminalAudience;
  private readonly dataListeners = new Set<(chunk: Buffer) => void>();
  private readonly exitListeners = new Set<(code: number) => void>();
  private mark: BufferMark | undefined;
  private code: number | undefined;
  private resizing: Promise<void> | undefined;
  private readonly heldInput: Buffer[] = [];
  private closing: Promise<void> | undefined;
  private readonly batcher = new OutputBatcher((data) => this.output(data));
  private readonly saver: ScreenSaver | undefined;
  private readonly budget: OutputBudget;
  private budgetTimer: NodeJS.Timeout | undefined;
  private readonly throttledResize = latestThrottle(
    TERMINAL_LIMITS.resizeIntervalMs,
    (size: { cols: number; rows: number }) => void this.resize(size.cols, size.rows),
  );

  constructor(
    readonly id: string,
    private readonly tty: TtyProcess,
    private readonly opts: TerminalSessionOptions,
  ) {
    this.screen = new HeadlessScreen(opts.cols, opts.rows);
    this.budget = new OutputBudget(opts.outputBytesPerSecond ?? OUTPUT_BYTES_PER_SECOND);
    if (opts.initialScreen) this.screen.write(Buffer.from(`${opts.initialScreen}\r\n`));
    this.gate = new PauseGate(
      () => tty.pause(),
      () => tty.resume(),
    );
    this.screen.onParsed(() => {
      if (this.screen.pendingBytes < TERMINAL_LIMITS.lowWaterBytes) this.gate.release('screen');
    });
    // A program that asks the terminal where the cursor is (redis-cli's line editor does, when
    // it starts before `docker run -it` sets the TTY's size) blocks until it gets an answer. The
    // browser's xterm answers while it is attached; with no writer (`verify`, a closed tab) the
    // server's screen must, or the program hangs.
    this.screen.onReply((reply) => {
      if (!this.audience.hasWriter && this.alive) this.toShell(Buffer.from(reply));
    });
    this.audience = new TerminalAudience({
      screen: this.screen,
      gate: this.gate,
      input: (data) => this.toShell(Buffer.from(data)),
      resize: (size) => this.throttledResize(size),
      exitCode: () => this.code,
    });
    tty.onData((chunk) => this.batcher.push(chunk));
    tty.onExit((code) => this.exited(code));
    if (opts.persist) {
      this.saver = new ScreenSaver(this.screen, opts.persist, () => this.batcher.flush());
    }
  }

  get cols(): number {
    return this.screen.cols;
  }

  get rows(): number {
    return this.screen.rows;
  }

  /** The shell's exit code once it has exited, else undefined. */
  get exitCode(): number | undefined {
    return this.code;
  }

  get alive(): boolean {
    return this.code === undefined && this.closing === undefined;
  }

  /**
   * Show `text` (terminal bytes) as if the shell had printed it: the server's word to the
   * learner (a limit their sandbox hit). Every client and the kept screen see it.
   */
  notice(text: string): void {
    if (!this.alive) return;
    this.batcher.push(Buffer.from(text));
  }

  /** Type into the shell (in-process: `handson verify`, click-to-run). */
  write(data: string | Uint8Array): void {
    if (!this.alive) return;
    this.batcher.flush();
    // Mark where the cursor is once the output so far is parsed: what comes after is the answer.
    this.screen.atCurrentPosition(() => {
      if (this.closing) return;
      this.mark?.dispose();
      this.mark = this.screen.cursorMark();
    });
    this.toShell(Buffer.from(data));
  }

  async resize(cols: number, rows: number): Promise<void> {
    if (!this.alive || (cols === this.screen.cols && rows === this.screen.rows)) return;
    this.screen.resize(cols, rows);
    const resized = this.tty.resize(cols, rows).catch(() => undefined);
    this.resizing = resized;
    await resized;
    if (this.resizing !== resized) return; // a later resize still holds the input
    this.resizing = undefined;
    for (const chunk of this.heldInput.splice(0)) this.tty.write(chunk);
  }

  /**
   * Input reaches the shell in order with resizes: what is typed while the TTY is being resized
   * (a round trip into the sandbox) waits for it, so `stty size` right after a resize is right.
   */
  private toShell(chunk: Buffer): void {
    if (this.resizing) this.heldInput.push(chunk);
    else this.tty.write(chunk);
  }

  /** Every output chunk from now on; returns an unsubscribe function. */
  onData(listener: (chunk: Buffer) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onExit(listener: (code: number) => void): () => void {
    if (this.code !== undefined) queueMicrotask(() => listener(this.code!));
    else this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** The visible screen as text, one line per row (trailing blank lines dropped). */
  screenText(): string {
    return this.screen.text();
  }

  /**
   * Resolves with the match once `pattern` appears in the output after the cursor position of
   * the last `write()` (so the prompt the command was typed at does not count), or anywhere on
   * screen when nothing was written yet. Rejects on timeout (default 10 s), abort or exit.
   *
   * @example
   * term.write('docker run -it --name box debian bash\r');
   * await term.waitFor(/root@[0-9a-f]{12}/, { timeoutMs: 20_000, signal });
   */
  waitFor(pattern: RegExp, opts: WaitForOptions = {}): Promise<RegExpMatchArray> {
    return waitForScreen(
      {
        id: this.id,
        screen: this.screen,
        mark: () => this.mark,
        onExit: (listener) => this.onExit(listener),
      },
      pattern,
      opts,
    );
  }

  /**
   * Resolves once no output has arrived for `quietMs` (at most `maxMs`, default 2 s).
   *
   * @example
   * await term.waitFor(/\/ # $/m);
   * await term.quiet(150); // busybox may still be asking where the cursor is
   */
  quiet(quietMs: number, opts: { maxMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    this.batcher.flush();
    return screenQuiet(this.screen, { quietMs, maxMs: opts.maxMs ?? 2000, signal: opts.signal });
  }

  /**
   * Connect a client: it first receives the current screen, then live output. A new writer
   * replaces the previous one (closed with `replaced`).
   */
  attach(client: TerminalClient): Attachment {
    return this.audience.attach(client);
  }

  /** Kill the shell and everything it started; close every client. Idempotent. */
  close(): Promise<void> {
    return this.shutDown(true);
  }

  /**
   * Let go of the shell without ending it (server shutdown): clients are closed and the TTY
   * process ends; a holder (tmux) keeps the shell, and the saved screen is shown by the
   * next server.
   */
  release(): Promise<void> {
    return this.shutDown(false);
  }

  private shutDown(killShell: boolean): Promise<void> {
    this.closing ??= (async () => {
      this.saver?.stop();
      clearTimeout(this.budgetTimer);
      this.throttledResize.cancel();
      this.audience.closeAll(CLOSE_CODES.sessionEnded, 'terminal closed');
      if (killShell) await this.opts.kill?.().catch(() => undefined);
      else await this.saver?.save();
      await this.tty.kill().catch(() => undefined);
      this.mark?.dispose();
      this.screen.dispose();
    })();
    return this.closing;
  }

  private output(chunk: Buffer): void {
    this.saver?.changed();
    const waitMs = this.budget.spend(chunk.length);
    if (waitMs > 0 && !this.budgetTimer) {
      this.gate.hold('budget');
      this.budgetTimer = setTimeout(() => {
        this.budgetTimer = undefined;
        this.gate.release('budget');
      }, waitMs);
    }
    this.screen.write(chunk);
    // Held plain text (a flood being collapsed) counts on top of what the parser may lag.
    const screenHigh = TERMINAL_LIMITS.highWaterBytes + this.screen.holdLimit;
    if (this.screen.pendingBytes > screenHigh) this.gate.hold('screen');
    for (const listener of this.dataListeners) listener(chunk);
    this.audience.broadcast(chunk);
  }

  private exited(code: number): void {
    if (this.code !== undefined) return;
    this.batcher.flush();
    this.code = code;
    // Let clients see the last output before the exit notice.
    this.screen.atCurrentPosition(() => {
      this.audience.announceExits();
      for (const listener of this.exitListeners) listener(code);
      this.exitListeners.clear();
    });
  }
}
