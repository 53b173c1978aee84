/**
 * Joins chunks that arrive in the same event-loop turn: one parse call, one frame and one ack
 * instead of one per read during a flood. A keystroke's echo waits one turn at most.
 *
 * @example
 * const batcher = new OutputBatcher((data) => send(data));
 * tty.onData((chunk) => batcher.push(chunk));
 */
export class OutputBatcher {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private scheduled = false;

  constructor(
    private readonly onFlush: (data: Buffer) => void,
    private readonly maxBytes = 64 * 1024,
  ) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes >= this.maxBytes) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Hand on whatever is held now (before marking a position, on exit). */
  flush(): void {
    this.scheduled = false;
    if (this.chunks.length === 0) return;
    const data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    this.bytes = 0;
    this.onFlush(data);
  }
}
