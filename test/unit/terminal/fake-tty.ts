import type { TtyProcess } from '../../../sandbox-server/src/sandbox/driver.ts';

/** A TTY the test drives by hand: `emit` is the shell printing. */
export class FakeTty implements TtyProcess {
  paused = false;
  written: Buffer[] = [];
  size = { cols: 0, rows: 0 };
  killed = false;
  private data?: (chunk: Buffer) => void;
  private exit?: (code: number) => void;
  write(data: string | Buffer) {
    this.written.push(Buffer.from(data));
  }
  async resize(cols: number, rows: number) {
    this.size = { cols, rows };
  }
  onData(listener: (chunk: Buffer) => void) {
    this.data = listener;
  }
  onExit(listener: (code: number) => void) {
    this.exit = listener;
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  async kill() {
    this.killed = true;
  }
  emit(text: string | Buffer) {
    this.data?.(Buffer.from(text));
  }
  end(code: number) {
    this.exit?.(code);
  }
}
