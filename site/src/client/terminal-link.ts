import type { Terminal } from '@xterm/xterm';
import type { TerminalLink } from './terminal-panel.ts';

/**
 * The seam between the page and the terminal WebSocket. The page only needs `type()`,
 * `dispose()` and connection-state callbacks; everything about tickets, acks and reconnects
 * belongs to the terminal client.
 */

export type LinkStatus = 'connecting' | 'connected' | 'reconnecting' | 'exited';

export interface LinkOptions {
  /** A fresh WebSocket URL with a single-use ticket, for each (re)connect. */
  socketUrl: () => Promise<string>;
  onStatus: (status: LinkStatus) => void;
}

/**
 * Connect `term` to the session's main shell.
 *
 * @example
 * const link = connectTerminal(panel.term, { socketUrl, onStatus: console.log });
 * link.type('docker ps\r');
 */
export function connectTerminal(term: Terminal, opts: LinkOptions): TerminalLink {
  let socket: WebSocket | undefined;
  let disposed = false;
  let attempt = 0;
  const encoder = new TextEncoder();
  const subs = [
    term.onData((data) => send(encoder.encode(data))),
    term.onBinary((data) => send(Uint8Array.from(data, (c) => c.charCodeAt(0)))),
    term.onResize(({ cols, rows }) => control({ type: 'resize', cols, rows })),
  ];

  function send(bytes: Uint8Array): void {
    if (socket?.readyState === WebSocket.OPEN) socket.send(bytes);
  }
  function control(message: unknown): void {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  async function open(): Promise<void> {
    if (disposed) return;
    opts.onStatus(attempt === 0 ? 'connecting' : 'reconnecting');
    let url: string;
    try {
      url = await opts.socketUrl();
    } catch {
      return retry();
    }
    if (disposed) return;
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      // A reconnect starts from the server's current screen.
      term.reset();
      control({ type: 'resize', cols: term.cols, rows: term.rows });
      opts.onStatus('connected');
    };
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') {
        const message = JSON.parse(event.data) as { type?: string };
        if (message.type === 'exit') opts.onStatus('exited');
        return;
      }
      const bytes = new Uint8Array(event.data as ArrayBuffer);
      term.write(bytes, () => control({ type: 'ack', bytes: bytes.byteLength }));
    };
    ws.onclose = () => {
      if (socket === ws) retry();
    };
  }

  function retry(): void {
    if (disposed) return;
    attempt++;
    opts.onStatus('reconnecting');
    setTimeout(() => void open(), Math.min(5000, 250 * 2 ** Math.min(attempt, 5)));
  }

  void open();
  return {
    type: (text) => send(encoder.encode(text)),
    dispose() {
      disposed = true;
      for (const sub of subs) sub.dispose();
      socket?.close();
    },
  };
}
