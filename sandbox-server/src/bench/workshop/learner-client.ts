import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { encodeControl, TERMINAL_LIMITS } from '../../contracts/terminal-protocol.ts';
import type { JoinResponse } from '../../contracts/workshop.ts';

/**
 * One simulated learner: joins the workshop over HTTP, opens their terminal WebSocket (acking
 * output like the browser client), types, and presses Check — a plain Node client, loopback only.
 */
export class SimulatedLearner {
  session!: JoinResponse;
  private ws: WebSocket | undefined;
  private output = '';
  private unacked = 0;
  private waiters: { pattern: string; resolve: () => void }[] = [];
  errors = 0;

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

  /** Wait until the sandbox is ready, then open the terminal and wait for the prompt. */
  async connect(timeoutMs: number): Promise<void> {
    const { ticket } = (await (await this.call('/terminals', { mode: 'write' })).json()) as {
      ticket: string;
    };
    const host = new URL(this.base).host;
    const ws = new WebSocket(
      `ws://${host}/api/sessions/${this.session.id}/terminal?ticket=${ticket}`,
      {
        origin: this.base,
      },
    );
    this.ws = ws;
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
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
    ws.on('error', () => this.errors++);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await this.expect('# ', timeoutMs);
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

  /** Press Check on a step; resolves with the latency and whether it passed. */
  async check(lesson: string, step: string): Promise<{ ms: number; passed: boolean }> {
    const started = performance.now();
    const res = await this.call('/check', { lesson, step });
    const body = (await res.json()) as { passed?: boolean };
    if (!res.ok) this.errors++;
    return { ms: performance.now() - started, passed: body.passed === true };
  }

  close(): void {
    this.ws?.close();
  }
}
