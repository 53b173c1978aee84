import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { encodeControl, TERMINAL_LIMITS } from '#contracts/terminal-protocol.ts';
import type { JoinResponse } from '#contracts/workshop.ts';

/**
 * One simulated learner: joins the workshop over HTTP, opens their terminal WebSocket (acking
 * output like the browser client), types, and presses Check — a plain Node client, loopback only.
 */
export class SimulatedLearner {
  session!: JoinResponse;
  private ws: WebSocket | undefined;
  private output = '';
  private unacked = 0;
  private waiters: {
    pattern: string;
    resolve: () => void;
    reject: (error: Error) => void;
    cancel: () => void;
  }[] = [];
  errors = 0;
  /** Times an open terminal closed under the learner (each also counts in `errors`). */
  terminalDrops = 0;
  /** The last terminal opening: ms for its ticket, then ms from the ticket to the prompt. */
  lastOpen: { ticketMs: number; promptMs: number } | undefined;
  /** Called when an open terminal closes under the learner (a browser then reconnects). */
  onDrop: (() => void) | undefined;
  /** Why each failed terminal start failed (the learner then tried again). */
  readonly startFailures: string[] = [];

  constructor(
    private readonly base: string,
    readonly name: string,
  ) {}

  async join(code: string): Promise<number> {
    const started = performance.now();
    const res = await fetch(`${this.base}/api/workshops/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, name: this.name }),
    });
    if (res.status !== 201) throw new Error(`join ${this.name}: ${res.status} ${await res.text()}`);
    this.session = (await res.json()) as JoinResponse;
    return performance.now() - started;
  }

  private call(path: string, body: object): Promise<Response> {
    return fetch(`${this.base}/api/sessions/${this.session.id}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.session.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
  }

  /**
   * Open the terminal and wait for the prompt. Like the browser, a terminal the server could not
   * start (an error frame, then close 1011) is asked for again with a fresh ticket after a
   * backoff; each failure is kept in `startFailures` with what the server said.
   */
  async connect(timeoutMs: number, firstBackoffMs = 500): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const failure = await this.openOnce(deadline - performance.now()).catch(
        (error: Error) => `ticket: ${error.message}`,
      );
      if (!failure) return;
      this.startFailures.push(failure);
      if (performance.now() > deadline) throw new Error(`${this.name}: ${failure}`);
      const backoff = Math.min(10_000, firstBackoffMs * 2 ** attempt);
      await new Promise((r) => setTimeout(r, backoff * (0.5 + Math.random() * 0.5)));
    }
  }

  /** One terminal WebSocket until the prompt shows; resolves with why it failed, if it did. */
  private async openOnce(timeoutMs: number): Promise<string | undefined> {
    const asked = performance.now();
    const res = await this.call('/terminals', { mode: 'write' });
    if (!res.ok) return `ticket: ${res.status} ${await res.text()}`;
    const { ticket } = (await res.json()) as { ticket: string };
    const ticketed = performance.now();
    const host = new URL(this.base).host;
    const ws = new WebSocket(
      `ws://${host}/api/sessions/${this.session.id}/terminal?ticket=${ticket}`,
      { origin: this.base },
    );
    this.ws = ws;
    this.output = '';
    let said = '';
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        said = data.toString();
        return;
      }
      const chunk = data as Buffer;
      this.output = (this.output + chunk.toString('utf8')).slice(-4096);
      this.unacked += chunk.length;
      if (this.unacked >= TERMINAL_LIMITS.ackEveryBytes / 2) this.ack();
      else setImmediate(() => this.ack());
      for (const w of [...this.waiters]) {
        if (this.output.includes(w.pattern)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    });
    ws.on('error', () => undefined); // 'close' follows
    const closed = new Promise<string>((resolve) => {
      ws.once('close', (code, reason) => {
        resolve(`closed ${code} ${reason.toString() || said}`.trim());
      });
    });
    const prompt = this.expect('# ', timeoutMs).then(
      () => undefined,
      (err: Error) => err.message,
    );
    const outcome = await Promise.race([prompt, closed]);
    this.lastOpen = { ticketMs: ticketed - asked, promptMs: performance.now() - ticketed };
    if (outcome !== undefined) {
      ws.terminate();
      // The prompt's wait belongs to this socket: it must not outlive it (nor its timer).
      for (const w of this.waiters.splice(0)) w.cancel();
    } else {
      // Closing after the prompt is an error from here on; what waited on this socket fails now.
      ws.on('close', () => {
        this.errors++;
        this.terminalDrops++;
        for (const w of this.waiters.splice(0))
          w.reject(new Error(`${this.name}: terminal closed`));
        this.onDrop?.();
      });
    }
    return outcome;
  }

  /** Whether the terminal WebSocket is open (false before `connect` and after a drop). */
  get terminalOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  private ack(): void {
    if (this.unacked > 0 && this.ws?.readyState === WebSocket.OPEN) {
      this.ws.send(encodeControl({ type: 'ack', bytes: this.unacked }));
      this.unacked = 0;
    }
  }

  private expect(pattern: string, timeoutMs: number): Promise<void> {
    if (this.output.includes(pattern)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        pattern,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
        cancel: () => clearTimeout(timer),
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(
          new Error(
            `${this.name}: no ${JSON.stringify(pattern)} within ${timeoutMs} ms; the screen ends ${JSON.stringify(this.output.slice(-200))}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Run a command and wait for a marker it prints. */
  async run(command: string, marker: string, timeoutMs = 60_000): Promise<void> {
    this.output = '';
    this.ws!.send(Buffer.from(`${command}; echo ${marker.replace('-', '""-')}\r`));
    await this.expect(`${marker}\r\n`, timeoutMs);
  }

  /**
   * One keystroke's round trip: a character typed at an idle prompt until the shell echoes it
   * back; then the line is cleared (Ctrl-U) so the prompt stays clean.
   */
  async echoMs(index: number): Promise<number> {
    const ch = String.fromCharCode(97 + (index % 26));
    this.output = '';
    const started = performance.now();
    this.ws!.send(Buffer.from(ch));
    await this.expect(ch, 10_000);
    const ms = performance.now() - started;
    this.ws!.send(Buffer.from('\x15'));
    return ms;
  }

  /** Press Check on a step; resolves with the latency, whether it answered (2xx), and passed. */
  async check(
    lesson: string,
    step: string,
  ): Promise<{ ms: number; ok: boolean; passed: boolean; status: number }> {
    const started = performance.now();
    const res = await this.call('/check', { lesson, step });
    const body = (await res.json().catch(() => ({}))) as { passed?: boolean };
    if (!res.ok) this.errors++;
    return {
      ms: performance.now() - started,
      ok: res.ok,
      passed: body.passed === true,
      status: res.status,
    };
  }

  /** Type into the terminal without waiting for anything (a command left running). */
  type(text: string): void {
    this.ws?.send(Buffer.from(text));
  }

  /**
   * Reset the session (a fresh sandbox: whatever ran in the old one ends with it) and open the
   * new sandbox's terminal; `ms` is until its prompt.
   */
  async reset(timeoutMs: number): Promise<number> {
    const started = performance.now();
    this.ws?.removeAllListeners('close');
    this.ws?.terminate();
    const res = await this.call('/reset', {});
    if (!res.ok) throw new Error(`reset ${this.name}: ${res.status} ${await res.text()}`);
    await this.connect(timeoutMs);
    return performance.now() - started;
  }

  close(): void {
    this.ws?.close();
  }
}
