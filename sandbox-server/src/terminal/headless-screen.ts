import serializeModule from '@xterm/addon-serialize';
import headless from '@xterm/headless';
import { collapseCut, isPlainText } from './flood-collapse.ts';
import { PacedParser } from './paced-parser.ts';

const CR = Buffer.from('\r');

// Both packages ship CommonJS bundles; take the classes off the default export.
const { Terminal } = headless;
const { SerializeAddon } = serializeModule;

/** A position in the buffer that follows its line as the screen scrolls. */
export interface BufferMark {
  /** Current absolute line (scrollback included); -1 once the line left the scrollback. */
  readonly line: number;
  readonly col: number;
  dispose(): void;
}

/** A chunk this big is a flood, not typing: plain text from here on is held to be collapsed. */
const FLOOD_CHUNK_BYTES = 16 * 1024;
/** Plain text held at most this long before it is parsed (the screen lags a flood by this). */
const HOLD_MS = 25;

export interface HeadlessScreenOptions {
  scrollback?: number;
  /** Plain text held back at most (bytes); 0 parses every byte as it comes. */
  holdBytes?: number;
}

/**
 * The server's copy of a terminal's screen: a headless xterm fed every output byte, so a
 * (re)connecting browser starts from the current screen and checks can read what is shown.
 * Parsing is asynchronous; `pendingBytes` says how far it is behind, so the shell can be held
 * back instead of the parse queue growing without bound during a flood.
 *
 * A flood of plain lines (`yes`, `cat big.log`) is collapsed: parsing costs ~50 ms of the
 * server's one thread per MB, and all but the last screen and scrollback of a flood would
 * scroll away unseen. So plain text arriving in big chunks is held (up to `holdBytes`, at most
 * HOLD_MS) and only its tail that can still be on screen is parsed (flood-collapse.ts says why
 * the screen ends the same). While someone waits for a pattern in the output, every line is
 * parsed, so no match scrolls away unseen.
 *
 * @example
 * const screen = new HeadlessScreen(120, 40);
 * screen.write(Buffer.from('hello\r\n'));
 * await screen.flushed();
 * screen.text(); // 'hello\n…'
 */
export class HeadlessScreen {
  private readonly term: InstanceType<typeof Terminal>;
  private readonly serializer: InstanceType<typeof SerializeAddon>;
  private pending = 0;
  private readonly parsedListeners = new Set<() => void>();
  private readonly scrollback: number;
  private readonly holdBytes: number;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private holdTimer: NodeJS.Timeout | undefined;
  /** The held text has waited long enough: release it once the parser is idle. */
  private holdDue = false;
  private readonly parser: PacedParser;
  private watchers = 0;
  private collapsed = 0;

  constructor(cols: number, rows: number, opts: HeadlessScreenOptions = {}) {
    this.scrollback = opts.scrollback ?? 1000;
    this.holdBytes = opts.holdBytes ?? 1024 * 1024;
    this.term = new Terminal({
      cols,
      rows,
      scrollback: this.scrollback,
      allowProposedApi: true,
    });
    this.parser = new PacedParser((data, parsed) => this.term.write(data, parsed));
    this.parser.onPiece((counted) => {
      this.pending -= counted;
      // Held text waits for the parser to catch up: only then is its state known.
      if (this.parser.idle && (this.holdDue || this.heldBytes >= this.holdBytes)) {
        this.release(false);
      }
      for (const listener of this.parsedListeners) listener();
    });
    this.serializer = new SerializeAddon();
    this.term.loadAddon(this.serializer);
  }

  get cols(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  /** Bytes written but not yet parsed (held ones included). */
  get pendingBytes(): number {
    return this.pending;
  }

  /** How much plain text this screen may hold back (beyond what it is parsing). */
  get holdLimit(): number {
    return this.holdBytes;
  }

  /** Bytes of output that were never parsed because they would have scrolled away unseen. */
  get collapsedBytes(): number {
    return this.collapsed;
  }

  write(chunk: Uint8Array): void {
    this.pending += chunk.length;
    const holding = this.heldBytes > 0 || chunk.length >= FLOOD_CHUNK_BYTES;
    if (holding && this.holdBytes > 0 && this.watchers === 0 && isPlainText(chunk)) {
      this.held.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      this.heldBytes += chunk.length;
      if (this.heldBytes >= this.holdBytes) this.release(false);
      else {
        this.holdTimer ??= setTimeout(() => {
          this.holdDue = true;
          this.release(false);
        }, HOLD_MS);
      }
      return;
    }
    this.release(true);
    this.parser.write(chunk);
  }

  /**
   * Parse every line from now until the returned function is called (someone is looking for a
   * pattern in the output: a collapsed line could have held it).
   */
  keepEveryLine(): () => void {
    this.release(true);
    this.watchers++;
    let done = false;
    return () => {
      if (!done) this.watchers--;
      done = true;
    };
  }

  /**
   * Hand held text to the parser, cut to its tail when that leaves the same screen. `now`: the
   * caller needs it in the parser at once (non-plain output follows, or someone waits for the
   * screen), even if the parser is still busy and so no cut can be proven safe.
   */
  private release(now: boolean): void {
    if (this.heldBytes === 0) return;
    if (!now && !this.parser.idle) return; // called again once the parser is idle
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.holdDue = false;
    const text = this.held.length === 1 ? this.held[0]! : Buffer.concat(this.held);
    const counted = this.heldBytes;
    this.held = [];
    this.heldBytes = 0;
    const cut =
      this.parser.idle && this.scrollsWholeScreen()
        ? collapseCut(text, this.scrollback + 2 * this.term.rows)
        : 0;
    if (cut === 0) {
      this.parser.write(text, counted);
      return;
    }
    this.collapsed += cut;
    // The CR puts the cursor where the cut text would have left it: at the start of a line.
    this.parser.write(Buffer.concat([CR, text.subarray(cut)]), counted);
  }

  /**
   * Whether the scroll region is the whole screen (a program may set a smaller one, and lines
   * scrolled out of it do not reach the scrollback). xterm keeps it privately; if that ever
   * moves, nothing is collapsed.
   */
  private scrollsWholeScreen(): boolean {
    const buffer = (this.term as unknown as { _core?: { buffer?: Record<string, unknown> } })._core
      ?.buffer;
    return buffer?.scrollTop === 0 && buffer.scrollBottom === this.term.rows - 1;
  }

  /**
   * What the emulator answers to the program's queries (cursor position `ESC[6n`, device
   * attributes…), the bytes a real terminal would type back.
   */
  onReply(listener: (data: string) => void): () => void {
    const subscription = this.term.onData(listener);
    return () => subscription.dispose();
  }

  /** Called after each written chunk is parsed (the screen changed). */
  onParsed(listener: () => void): () => void {
    this.parsedListeners.add(listener);
    return () => this.parsedListeners.delete(listener);
  }

  resize(cols: number, rows: number): void {
    this.release(true);
    this.term.resize(cols, rows);
  }

  /** Resolves once everything written so far is on the screen. */
  flushed(): Promise<void> {
    this.release(true);
    return new Promise((resolve) => this.parser.whenParsed(resolve));
  }

  /**
   * Run `fn` at the point where exactly the bytes written so far are parsed: output written
   * after this call is not yet on the screen when `fn` runs (xterm runs write callbacks in order).
   */
  atCurrentPosition(fn: () => void): void {
    this.release(true);
    this.parser.whenParsed(fn);
  }

  /** Escape sequences that redraw the current screen (and recent scrollback) on a fresh xterm. */
  serialize(scrollbackLines = 1000): string {
    return this.serializer.serialize({ scrollback: scrollbackLines });
  }

  /** Where the cursor is now, as an absolute buffer position. */
  cursorMark(): BufferMark {
    // An xterm marker keeps pointing at the same line while lines scroll and get trimmed.
    const marker = this.term.registerMarker(0);
    const col = this.term.buffer.active.cursorX;
    return {
      get line() {
        return marker?.line ?? -1;
      },
      col,
      dispose: () => marker?.dispose(),
    };
  }

  /**
   * The text of the visible screen (default), or of everything after `from` (scrollback
   * included), one line per row with trailing blanks trimmed.
   */
  text(from?: BufferMark): string {
    const buffer = this.term.buffer.active;
    const start = from ? Math.max(0, from.line) : buffer.baseY;
    const lines: string[] = [];
    for (let y = start; y < buffer.length; y++) {
      const line = buffer.getLine(y)?.translateToString(true) ?? '';
      lines.push(from && y === from.line ? line.slice(from.col) : line);
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  dispose(): void {
    clearTimeout(this.holdTimer);
    this.parser.dispose();
    this.parsedListeners.clear();
    this.term.dispose();
  }
}
