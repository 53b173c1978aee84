import headless from '@xterm/headless';
import { expect } from 'vitest';
import WebSocket from 'ws';
import {
  encodeControl,
  parseServerControl,
  type ServerControl,
} from '#contracts/terminal-protocol.ts';

const { Terminal } = headless;

export interface WsTerminalOptions {
  origin?: string;
  /** Ack rendered bytes like a browser (default true). */
  ack?: boolean;
  cols?: number;
  rows?: number;
}

/**
 * A scripted terminal client over the real WebSocket protocol: renders into a headless xterm,
 * acks what it rendered (unless told not to), and records control messages.
 */
export class WsTerminal {
  readonly term: InstanceType<typeof Terminal>;
  readonly controls: ServerControl[] = [];
  received = 0;
  acking: boolean;
  closeCode: number | undefined;
  private unacked = 0;

  private constructor(
    readonly ws: WebSocket,
    opts: WsTerminalOptions,
  ) {
    this.acking = opts.ack ?? true;
    this.term = new Terminal({
      cols: opts.cols ?? 100,
      rows: opts.rows ?? 30,
      allowProposedApi: true,
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        const chunk = data as Buffer;
        this.received += chunk.length;
        this.term.write(chunk, () => {
          this.unacked += chunk.length;
          if (this.acking && this.unacked >= 16 * 1024) this.flushAck();
        });
        setImmediate(() => this.acking && this.unacked > 0 && this.flushAck());
      } else {
        const parsed = parseServerControl(String(data));
        if (parsed.ok) this.controls.push(parsed.value);
      }
    });
    ws.on('close', (code) => {
      this.closeCode = code;
    });
  }

  static connect(base: string, sessionId: string, ticket: string, opts: WsTerminalOptions = {}) {
    const ws = new WebSocket(`ws://${base}/api/sessions/${sessionId}/terminal?ticket=${ticket}`, {
      headers: opts.origin ? { origin: opts.origin } : {},
    });
    ws.binaryType = 'nodebuffer';
    const client = new WsTerminal(ws, opts);
    return new Promise<WsTerminal>((resolve, reject) => {
      ws.once('open', () => {
        if (opts.cols && opts.rows)
          client.control({ type: 'resize', cols: opts.cols, rows: opts.rows });
        resolve(client);
      });
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  flushAck(): void {
    if (this.unacked === 0 || this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(encodeControl({ type: 'ack', bytes: this.unacked }));
    this.unacked = 0;
  }

  type(text: string | Buffer): void {
    this.ws.send(typeof text === 'string' ? Buffer.from(text) : text, { binary: true });
  }

  control(message: Parameters<typeof encodeControl>[0]): void {
    this.ws.send(encodeControl(message));
  }

  text(): string {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < buffer.length; y++)
      lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
    return lines.join('\n');
  }

  async waitForText(pattern: RegExp, timeout = 10_000): Promise<void> {
    await expect.poll(() => this.text(), { timeout, interval: 20 }).toMatch(pattern);
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
