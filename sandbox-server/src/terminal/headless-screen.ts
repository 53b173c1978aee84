import serializeModule from '@xterm/addon-serialize';
import headless from '@xterm/headless';

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

/**
 * The server's copy of a terminal's screen: a headless xterm fed every output byte, so a
 * (re)connecting browser starts from the current screen and checks can read what is shown.
 * Parsing is asynchronous; `pendingBytes` says how far it is behind, so the shell can be held
 * back instead of the parse queue growing without bound during a flood.
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

  constructor(cols: number, rows: number, scrollback = 1000) {
    this.term = new Terminal({ cols, rows, scrollback, allowProposedApi: true });
    this.serializer = new SerializeAddon();
    this.term.loadAddon(this.serializer);
  }

  get cols(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  /** Bytes written but not yet parsed. */
  get pendingBytes(): number {
    return this.pending;
  }

  write(chunk: Uint8Array): void {
    this.pending += chunk.length;
    this.term.write(chunk, () => {
      this.pending -= chunk.length;
      for (const listener of this.parsedListeners) listener();
    });
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
    this.term.resize(cols, rows);
  }

  /** Resolves once everything written so far is on the screen. */
  flushed(): Promise<void> {
    return new Promise((resolve) => this.term.write('', resolve));
  }

  /**
   * Run `fn` at the point where exactly the bytes written so far are parsed: output written
   * after this call is not yet on the screen when `fn` runs (xterm runs write callbacks in order).
   */
  atCurrentPosition(fn: () => void): void {
    this.term.write('', fn);
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
    this.parsedListeners.clear();
    this.term.dispose();
  }
}
