import type { Socket } from 'node:net';

/**
 * An answer line is "ok" or "fail"; the sandbox end is the learner's to replace, so anything
 * longer without a newline is not an answer and ends the channel instead of filling memory.
 */
const MAX_ANSWER_BYTES = 64;
/** Resizes waiting for an answer; a sandbox that stops answering gets no more. */
const MAX_WAITING = 32;

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Sends resizes down a terminal's control socket ("<cols> <rows>\n"); each resolves when the
 * sandbox answers for it ("ok\n"), rejects on "fail", a timeout or the channel ending. What the
 * sandbox sends back is bounded: an over-long line closes the channel (resizes then fail, the
 * terminal itself goes on).
 *
 * @example
 * const resizer = new ControlChannel(controlSocket, 10_000);
 * await resizer.resize(120, 40);
 */
export class ControlChannel {
  private readonly waiting: Waiter[] = [];
  private buffered = '';

  constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.receive(text));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      for (const next of this.waiting.splice(0)) next.reject(new Error('the terminal has ended'));
    });
  }

  resize(cols: number, rows: number): Promise<void> {
    if (this.socket.destroyed) return Promise.reject(new Error('the terminal has ended'));
    if (this.waiting.length >= MAX_WAITING) {
      return Promise.reject(new Error('the terminal is not answering resizes'));
    }
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('resizing timed out')), this.timeoutMs);
      this.waiting.push({
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      this.socket.write(`${Math.trunc(cols)} ${Math.trunc(rows)}\n`);
    });
  }

  private receive(text: string): void {
    this.buffered += text;
    for (let nl = this.buffered.indexOf('\n'); nl >= 0; nl = this.buffered.indexOf('\n')) {
      const answer = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      const next = this.waiting.shift();
      if (answer === 'ok') next?.resolve();
      else next?.reject(new Error('the terminal could not be resized'));
    }
    if (this.buffered.length > MAX_ANSWER_BYTES) {
      this.buffered = '';
      this.socket.destroy();
    }
  }
}
