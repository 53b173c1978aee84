import type { ITerminalAddon, Terminal } from '@xterm/xterm';
import {
  CLOSE_CODES,
  type ClientControl,
  encodeControl,
  parseServerControl,
  TERMINAL_LIMITS,
} from '#contracts/terminal-protocol.ts';

/**
 * The browser end of the terminal WebSocket (contracts/terminal-protocol.ts; ARCHITECTURE.md): connects an
 * xterm.js Terminal to a shell in the sandbox. Output is acked as xterm renders it, so a flood
 * never outruns the page; input and resizes go back; the connection comes back by itself
 * (fresh ticket, exponential backoff) and starts from the server's current screen.
 * Framework-free: the page wires it up.
 */

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Why a connection ended for good (status `closed`). */
export type ClosedReason = 'exited' | 'replaced' | 'session-ended' | 'disposed';

export interface StatusDetail {
  reason?: ClosedReason;
  /** The shell's exit code, when `reason` is `exited`. */
  exitCode?: number;
  /** Milliseconds until the next attempt, when `reconnecting`. */
  retryInMs?: number;
}

/** The part of xterm's Terminal the client uses (so unit tests can pass a fake). */
export type TerminalLike = Pick<
  Terminal,
  'cols' | 'rows' | 'write' | 'onData' | 'onBinary' | 'onResize' | 'options'
>;

/** The part of the browser's WebSocket the client uses. */
export interface SocketLike {
  binaryType: BinaryType;
  readonly readyState: number;
  readonly bufferedAmount: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send(data: string | ArrayBufferView | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
}

export interface TerminalClientOptions {
  /** A fresh `ws(s)://…/terminal?ticket=…` URL for each (re)connect (a ticket is single use). */
  socketUrl: () => Promise<string>;
  onStatus?: (status: ConnectionStatus, detail: StatusDetail) => void;
  /** Server `error` frames (bad input the server refused), for the console or a toast. */
  onError?: (message: string) => void;
  /** `read` = a read-only viewer: keystrokes are not sent. Default `write`. */
  mode?: 'write' | 'read';
  /** Backoff between reconnects: first delay and ceiling, in ms. */
  backoff?: { initialMs: number; maxMs: number };
  /** For tests: the WebSocket constructor. */
  WebSocketImpl?: new (
    url: string,
  ) => SocketLike;
}

/** Input frames stay well under the server's 64 KiB frame limit. */
const INPUT_FRAME_BYTES = 16 * 1024;
/** What `type()` may queue while the socket is down (click-to-run before the shell is up). */
const MAX_QUEUED_INPUT = 64 * 1024;
const OPEN = 1;

/**
 * Load the addons a learner's terminal wants besides fit (which the page owns with its
 * resize observer): clickable links and Unicode 11 widths (emoji, CJK).
 *
 * @example
 * await loadTerminalAddons(term);
 */
export async function loadTerminalAddons(term: Terminal): Promise<void> {
  const [{ WebLinksAddon }, { Unicode11Addon }] = await Promise.all([
    import('@xterm/addon-web-links'),
    import('@xterm/addon-unicode11'),
  ]);
  term.options.allowProposedApi = true; // the unicode API is "proposed" in xterm 6
  term.loadAddon(new WebLinksAddon() as ITerminalAddon);
  term.loadAddon(new Unicode11Addon() as ITerminalAddon);
  term.unicode.activeVersion = '11';
}

/**
 * Connect `term` to a terminal in the sandbox.
 *
 * @example
 * const conn = connectTerminal(panel.term, {
 *   socketUrl: async () => api.terminalUrl(s, (await api.terminalTicket(s, { mode: 'write' })).ticket, location),
 *   onStatus: (status, detail) => render(status, detail),
 * });
 * conn.type('docker ps\r');
 * conn.dispose();
 */
export function connectTerminal(term: TerminalLike, opts: TerminalClientOptions) {
  return new TerminalConnection(term, opts);
}

export class TerminalConnection {
  status: ConnectionStatus = 'connecting';
  private socket: SocketLike | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private rendered = 0;
  private writesInFlight = 0;
  private queued: Uint8Array[] = [];
  private queuedBytes = 0;
  private readonly encoder = new TextEncoder();
  private readonly subscriptions: { dispose(): void }[];
  private readonly backoff: { initialMs: number; maxMs: number };

  constructor(
    private readonly term: TerminalLike,
    private readonly opts: TerminalClientOptions,
  ) {
    this.backoff = opts.backoff ?? { initialMs: 300, maxMs: 10_000 };
    const keys = (bytes: Uint8Array) => {
      if (opts.mode !== 'read') this.sendInput(bytes, false);
    };
    this.subscriptions = [
      term.onData((data) => keys(this.encoder.encode(data))),
      // Mouse reports in X10 mode come as "binary" strings, one byte per char.
      term.onBinary((data) => keys(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff))),
      term.onResize(({ cols, rows }) => this.control({ type: 'resize', cols, rows })),
    ];
    void this.open();
  }

  /** Send text to the shell as if typed (click-to-run); queued while reconnecting. */
  type(text: string): void {
    this.sendInput(this.encoder.encode(text), true);
  }

  /** After the shell exited: connect again, which starts a new shell. */
  restart(): void {
    if (this.disposed || this.status !== 'closed') return;
    this.attempt = 0;
    void this.open();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    for (const sub of this.subscriptions) sub.dispose();
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000, 'page closed the terminal');
    this.setStatus('closed', { reason: 'disposed' });
  }

  private async open(): Promise<void> {
    if (this.disposed) return;
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting', {});
    let url: string;
    try {
      url = await this.opts.socketUrl();
    } catch {
      this.retry();
      return;
    }
    if (this.disposed) return;
    const Impl =
      this.opts.WebSocketImpl ?? (WebSocket as unknown as new (url: string) => SocketLike);
    const ws = new Impl(url);
    ws.binaryType = 'arraybuffer';
    this.socket = ws;
    this.rendered = 0;
    ws.onopen = () => {
      if (this.socket !== ws) return;
      this.control({ type: 'resize', cols: this.term.cols, rows: this.term.rows });
      this.setStatus('open', {});
      for (const bytes of this.queued.splice(0)) this.sendFrames(bytes);
      this.queuedBytes = 0;
    };
    ws.onmessage = (event) => {
      if (this.socket !== ws) return;
      if (typeof event.data === 'string') this.onControl(event.data);
      else this.onOutput(new Uint8Array(event.data as ArrayBuffer));
    };
    ws.onerror = () => undefined; // onclose follows and decides
    ws.onclose = (event) => {
      if (this.socket !== ws) return;
      this.socket = undefined;
      this.onClose(event.code);
    };
  }

  private onOutput(bytes: Uint8Array): void {
    // The server's screen arrives first on each connect; a successful one resets the backoff.
    this.attempt = 0;
    this.writesInFlight++;
    this.term.write(bytes, () => {
      this.writesInFlight--;
      this.rendered += bytes.byteLength;
      // Ack in batches, and whenever xterm has caught up, so the server never waits on us idly.
      if (this.rendered >= TERMINAL_LIMITS.ackEveryBytes || this.writesInFlight === 0) {
        this.control({ type: 'ack', bytes: this.rendered });
        this.rendered = 0;
      }
    });
  }

  private onControl(text: string): void {
    const parsed = parseServerControl(text);
    if (!parsed.ok) return;
    if (parsed.value.type === 'exit') {
      const exitCode = parsed.value.code;
      this.closeForGood({ reason: 'exited', exitCode });
    } else {
      this.opts.onError?.(parsed.value.message);
    }
  }

  private onClose(code: number): void {
    if (this.disposed || this.status === 'closed') return;
    if (code === CLOSE_CODES.exited) this.closeForGood({ reason: 'exited' });
    else if (code === CLOSE_CODES.replaced) this.closeForGood({ reason: 'replaced' });
    else if (code === CLOSE_CODES.sessionEnded) this.closeForGood({ reason: 'session-ended' });
    else this.retry();
  }

  private closeForGood(detail: StatusDetail): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000);
    if (this.status !== 'closed') this.setStatus('closed', detail);
  }

  private retry(): void {
    if (this.disposed) return;
    const base = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** this.attempt);
    // Jitter spreads a classroom's reconnects after a server restart.
    const delay = Math.round(base * (0.5 + Math.random() * 0.5));
    this.attempt++;
    this.setStatus('reconnecting', { retryInMs: delay });
    this.timer = setTimeout(() => void this.open(), delay);
  }

  private sendInput(bytes: Uint8Array, queueWhileDown: boolean): void {
    if (this.socket?.readyState === OPEN && this.status === 'open') {
      this.sendFrames(bytes);
    } else if (queueWhileDown && this.queuedBytes + bytes.byteLength <= MAX_QUEUED_INPUT) {
      this.queued.push(bytes);
      this.queuedBytes += bytes.byteLength;
    }
  }

  private sendFrames(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.byteLength; i += INPUT_FRAME_BYTES) {
      this.socket?.send(bytes.subarray(i, i + INPUT_FRAME_BYTES));
    }
  }

  private control(message: ClientControl): void {
    if (this.socket?.readyState === OPEN) this.socket.send(encodeControl(message));
  }

  private setStatus(status: ConnectionStatus, detail: StatusDetail): void {
    this.status = status;
    this.opts.onStatus?.(status, detail);
  }
}
