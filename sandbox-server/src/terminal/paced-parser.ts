/** What xterm's write looks like: data in, a callback once it is parsed. */
export type ParserWrite = (data: Uint8Array, parsed: () => void) => void;

interface QueuedWrite {
  data: Uint8Array;
  /** Bytes this write stands for in the caller's count (more than data when a flood was cut). */
  counted: number;
  done?: () => void;
}

/** A piece's share of the server's thread: ~1.5 ms of parsing. */
const PIECE_BYTES = 32 * 1024;

/**
 * Feeds a parser one small piece at a time, the next only after a turn of the event loop. xterm
 * parses each write it is given whole and takes further writes for up to 12 ms before it
 * yields, so a flooding terminal could hold the server's one thread for tens of ms at a time;
 * paced, every other socket and timer gets a turn between two pieces.
 *
 * @example
 * const paced = new PacedParser((data, done) => term.write(data, done));
 * paced.onPiece((bytes) => (pending -= bytes));
 * paced.write(chunk);
 * paced.whenParsed(() => console.log('on screen'));
 */
export class PacedParser {
  private readonly queue: QueuedWrite[] = [];
  private busy = false;
  private readonly pieceListeners = new Set<(countedBytes: number) => void>();
  private disposed = false;

  constructor(
    private readonly parse: ParserWrite,
    private readonly pieceBytes = PIECE_BYTES,
  ) {}

  /** Nothing queued or being parsed. */
  get idle(): boolean {
    return !this.busy && this.queue.length === 0;
  }

  /** Parse `data`, counted as `counted` bytes (default: its length) once parsed. */
  write(data: Uint8Array, counted = data.length): void {
    this.queue.push({ data, counted });
    this.pump();
  }

  /** Run `fn` once everything written so far is parsed. */
  whenParsed(fn: () => void): void {
    this.queue.push({ data: new Uint8Array(0), counted: 0, done: fn });
    this.pump();
  }

  /** Called after each piece is parsed, with the bytes it counted for. */
  onPiece(listener: (countedBytes: number) => void): () => void {
    this.pieceListeners.add(listener);
    return () => this.pieceListeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    this.pieceListeners.clear();
  }

  private pump(): void {
    if (this.busy || this.disposed) return;
    // Markers with no data left run at once: everything before them is parsed.
    while (this.queue[0] && this.queue[0].data.length === 0) {
      const marker = this.queue.shift()!;
      if (marker.counted > 0) this.pieceDone(marker.counted);
      marker.done?.();
      if (this.busy || this.disposed) return; // a callback wrote something
    }
    const head = this.queue[0];
    if (!head) return;
    const piece = head.data.subarray(0, this.pieceBytes);
    head.data = head.data.subarray(piece.length);
    // The piece counts its own bytes; the last one also what a cut removed.
    const counted = head.data.length === 0 ? head.counted : piece.length;
    head.counted -= counted;
    if (head.data.length === 0) this.queue.shift(); // so `idle` is true once this piece is parsed
    this.busy = true;
    this.parse(piece, () => {
      this.busy = false;
      if (this.disposed) return;
      this.pieceDone(counted);
      setImmediate(() => this.pump());
    });
  }

  private pieceDone(counted: number): void {
    for (const listener of this.pieceListeners) listener(counted);
  }
}
