import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLOSE_CODES } from '#contracts/terminal-protocol.ts';
import {
  type ConnectionStatus,
  connectTerminal,
  type SocketLike,
  type TerminalLike,
} from '../../../../site/src/client/terminal-client.ts';

/** A WebSocket the test plays the server side of. */
class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  binaryType: BinaryType = 'blob';
  readyState = 0;
  bufferedAmount = 0;
  sent: (string | Uint8Array)[] = [];
  closedWith?: number;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string | ArrayBufferView | ArrayBuffer) {
    this.sent.push(typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer));
  }
  close(code?: number) {
    this.closedWith = code;
    this.readyState = 3;
  }
  serverOpen() {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  serverSend(data: string | Uint8Array) {
    const payload = typeof data === 'string' ? data : data.slice().buffer;
    this.onmessage?.({ data: payload } as MessageEvent);
  }
  serverClose(code: number) {
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }
  get controls() {
    return this.sent.filter((s): s is string => typeof s === 'string').map((s) => JSON.parse(s));
  }
  get bytes() {
    return Buffer.concat(this.sent.filter((s): s is Uint8Array => typeof s !== 'string'));
  }
}

/** A terminal that "renders" synchronously-later, like xterm's write callback. */
function fakeTerm() {
  const handlers: Record<string, (arg: never) => void> = {};
  const written: Uint8Array[] = [];
  const listen = (name: string, h: (arg: never) => void) => {
    handlers[name] = h;
    return { dispose() {} };
  };
  const term = {
    cols: 80,
    rows: 24,
    options: {},
    write: (data: Uint8Array, cb?: () => void) => {
      written.push(data);
      queueMicrotask(() => cb?.());
    },
    onData: (h: never) => listen('data', h),
    onBinary: (h: never) => listen('binary', h),
    onResize: (h: never) => listen('resize', h),
  } as unknown as TerminalLike;
  return {
    term,
    written,
    keys: (s: string) => (handlers.data as (s: string) => void)(s),
    resized: (cols: number, rows: number) =>
      (handlers.resize as (s: { cols: number; rows: number }) => void)({ cols, rows }),
  };
}

function setup() {
  FakeSocket.all = [];
  const statuses: ConnectionStatus[] = [];
  const f = fakeTerm();
  let n = 0;
  const conn = connectTerminal(f.term, {
    socketUrl: async () => `ws://test/terminal?ticket=t${++n}`,
    onStatus: (s) => statuses.push(s),
    WebSocketImpl: FakeSocket,
    backoff: { initialMs: 10, maxMs: 40 },
  });
  return { ...f, conn, statuses, socket: () => FakeSocket.all.at(-1)! };
}

afterEach(() => vi.useRealTimers());

describe('terminal client', () => {
  it('sends its size on open and keystrokes as binary frames', async () => {
    const t = setup();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    t.socket().serverOpen();
    expect(t.socket().controls[0]).toEqual({ type: 'resize', cols: 80, rows: 24 });
    t.keys('ls 日本\r');
    t.resized(100, 30);
    expect(t.socket().bytes.toString('utf8')).toBe('ls 日本\r');
    expect(t.socket().controls.at(-1)).toEqual({ type: 'resize', cols: 100, rows: 30 });
    expect(t.statuses).toEqual(['connecting', 'open']);
    t.conn.dispose();
  });

  it('acks output once xterm has rendered it', async () => {
    const t = setup();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    t.socket().serverOpen();
    t.socket().serverSend(new Uint8Array(1000));
    t.socket().serverSend(new Uint8Array(500));
    await vi.waitFor(() =>
      expect(t.socket().controls.filter((c) => c.type === 'ack')).toEqual([
        { type: 'ack', bytes: 1500 },
      ]),
    );
    expect(t.written).toHaveLength(2);
    t.conn.dispose();
  });

  it('reconnects with a fresh ticket after a dropped connection, queueing typed commands', async () => {
    const t = setup();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    t.socket().serverOpen();
    t.socket().serverClose(1006);
    t.conn.type('docker ps\r');
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(2));
    expect(t.socket().url).toContain('ticket=t2');
    t.socket().serverOpen();
    expect(t.socket().bytes.toString()).toBe('docker ps\r');
    expect(t.statuses).toEqual(['connecting', 'open', 'reconnecting', 'reconnecting', 'open']);
    t.conn.dispose();
  });

  it('stops for good when the shell exits, and restart() opens a new shell', async () => {
    const t = setup();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    t.socket().serverOpen();
    t.socket().serverSend('{"type":"exit","code":0}');
    t.socket().serverClose(CLOSE_CODES.exited);
    expect(t.statuses.at(-1)).toBe('closed');
    expect(t.conn.status).toBe('closed');
    await new Promise((r) => setTimeout(r, 60));
    expect(FakeSocket.all).toHaveLength(1);
    t.conn.restart();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(2));
    t.conn.dispose();
  });

  it('does not fight another tab: a replaced writer stays closed', async () => {
    const t = setup();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    t.socket().serverOpen();
    t.socket().serverClose(CLOSE_CODES.replaced);
    await new Promise((r) => setTimeout(r, 60));
    expect(FakeSocket.all).toHaveLength(1);
    expect(t.statuses.at(-1)).toBe('closed');
  });

  it('splits a large paste into frames under the server limit', async () => {
    const t = setup();
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
    t.socket().serverOpen();
    t.conn.type('x'.repeat(40_000));
    const frames = t.socket().sent.filter((s) => typeof s !== 'string') as Uint8Array[];
    expect(frames.length).toBe(3);
    expect(Math.max(...frames.map((f) => f.byteLength))).toBeLessThanOrEqual(16 * 1024);
    t.conn.dispose();
  });
});
