import type { Page, WebSocket } from 'playwright-core';
import type { SolutionTerminal } from '../../solutions/solution-runner.ts';
import { type BufferMark, HeadlessScreen } from '../../terminal/headless-screen.ts';
import { screenQuiet, waitForScreen } from '../../terminal/screen-wait.ts';

/**
 * The lesson page's terminal as verify sees it: a headless screen fed the very bytes the page's
 * terminal WebSocket receives (and resized as the page asks), so the replay waits for the same
 * markers and `expect` screens as the API-level path, while every byte the shell gets comes from
 * the page — a Run button, a Press button, or keys typed into the page's terminal.
 *
 * @example
 * const term = new PageTerminal(page);
 * await page.goto(url);
 * await term.waitFor(/[#$] *$/m, { timeoutMs: 180_000 });
 */
export class PageTerminal implements SolutionTerminal {
  private readonly screen = new HeadlessScreen(80, 24);
  private mark: BufferMark | undefined;
  /** Keys typed into the page, one after another; the first failure is kept. */
  private typing: Promise<void> = Promise.resolve();
  private typingError: Error | undefined;

  constructor(private readonly page: Page) {
    page.on('websocket', (socket) => this.follow(socket));
  }

  private follow(socket: WebSocket): void {
    if (!/\/api\/sessions\/[^/]+\/terminal\b/.test(socket.url())) return;
    socket.on('framereceived', ({ payload }) => {
      // Binary frames are the terminal's bytes; text frames are control (exit, error).
      if (typeof payload !== 'string') this.screen.write(payload);
    });
    socket.on('framesent', ({ payload }) => {
      if (typeof payload !== 'string') return;
      const message = parseResize(payload);
      if (message) this.screen.resize(message.cols, message.rows);
    });
  }

  /** Answers to `waitFor` start here: what the screen shows after this moment. */
  async markNow(): Promise<void> {
    await this.screen.flushed();
    this.mark?.dispose();
    this.mark = this.screen.cursorMark();
  }

  /**
   * Type text into the page's terminal with the keyboard, `\r` as Enter (how verify installs
   * its prompt marker, as a learner would type a line). Other control bytes are not typed here:
   * a Run's keys go through its Press button.
   */
  write(data: string): void {
    const control = [...data].some((c) => c !== '\r' && c.charCodeAt(0) < 0x20);
    if (control) throw new Error('the page terminal types text and Enter only');
    const marked = this.markNow();
    this.typing = this.typing.then(async () => {
      await marked;
      await this.page.locator('[data-terminal] .xterm-helper-textarea').focus();
      const lines = data.split('\r');
      for (const [index, line] of lines.entries()) {
        if (line) await this.page.keyboard.type(line);
        if (index < lines.length - 1) await this.page.keyboard.press('Enter');
      }
    });
    this.typing = this.typing.catch((error: unknown) => {
      this.typingError ??= error instanceof Error ? error : new Error(String(error));
    });
  }

  async waitFor(
    pattern: RegExp,
    opts: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<RegExpMatchArray> {
    const match = await waitForScreen(
      {
        id: 'page',
        screen: this.screen,
        mark: () => this.mark,
        // The page's shell outlives its socket (a reconnect resumes it): no exit to wait for.
        onExit: () => () => undefined,
      },
      pattern,
      opts,
    ).catch((error: unknown) => {
      throw this.typingError ?? error;
    });
    return match;
  }

  screenText(): string {
    return this.screen.text();
  }

  quiet(quietMs: number, opts: { maxMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    return screenQuiet(this.screen, { quietMs, maxMs: opts.maxMs ?? 2000, signal: opts.signal });
  }

  dispose(): void {
    this.mark?.dispose();
    this.screen.dispose();
  }
}

/** A `{"type":"resize","cols":C,"rows":R}` control frame, bounded; anything else is undefined. */
function parseResize(text: string): { cols: number; rows: number } | undefined {
  if (text.length > 200) return undefined;
  try {
    const message = JSON.parse(text) as { type?: unknown; cols?: unknown; rows?: unknown };
    const { cols, rows } = message;
    if (message.type !== 'resize' || !Number.isInteger(cols) || !Number.isInteger(rows))
      return undefined;
    if (
      (cols as number) < 2 ||
      (cols as number) > 1000 ||
      (rows as number) < 1 ||
      (rows as number) > 500
    )
      return undefined;
    return { cols: cols as number, rows: rows as number };
  } catch {
    return undefined;
  }
}
