import { describe, expect, it } from 'vitest';
import type { ServerControl, TerminalMode } from '#contracts/terminal-protocol.ts';
import { CLOSE_CODES } from '#contracts/terminal-protocol.ts';
import {
  type TerminalClient,
  TerminalSession,
} from '../../../sandbox-server/src/terminal/terminal-session.ts';
import { FakeTty } from './fake-tty.ts';

class FakeClient implements TerminalClient {
  bytes: Buffer[] = [];
  controls: ServerControl[] = [];
  closed?: number;
  buffered = 0;
  constructor(readonly mode: TerminalMode) {}
  sendBytes(chunk: Uint8Array) {
    this.bytes.push(Buffer.from(chunk));
  }
  sendControl(message: ServerControl) {
    this.controls.push(message);
  }
  bufferedBytes() {
    return this.buffered;
  }
  close(code: number) {
    this.closed = code;
  }
  get received() {
    return this.bytes.reduce((n, b) => n + b.length, 0);
  }
  get text() {
    return Buffer.concat(this.bytes).toString('utf8');
  }
}

function setup() {
  const tty = new FakeTty();
  const term = new TerminalSession('main', tty, { cols: 80, rows: 24 });
  return { tty, term };
}

const KiB = 1024;

describe('TerminalSession', () => {
  it('pauses a shell that prints beyond its output budget and resumes it, passing every byte on', async () => {
    const tty = new FakeTty();
    const term = new TerminalSession('main', tty, {
      cols: 80,
      rows: 24,
      outputBytesPerSecond: 4 * KiB,
    });
    const writer = new FakeClient('write');
    term.attach(writer);
    const before = writer.received;
    tty.emit('x'.repeat(6 * KiB)); // 2 KiB over a second's budget: about half a second's pause
    await expect.poll(() => tty.paused).toBe(true);
    await expect.poll(() => tty.paused, { timeout: 5000 }).toBe(false);
    expect(writer.received - before).toBe(6 * KiB);
    await term.close();
  });

  it('sends a connecting client the current screen first, then live output', async () => {
    const { tty, term } = setup();
    tty.emit('earlier output\r\n');
    const client = new FakeClient('write');
    term.attach(client);
    tty.emit('live');
    await expect.poll(() => client.text).toContain('live');
    expect(client.text.indexOf('earlier output')).toBeLessThan(client.text.indexOf('live'));
    expect(client.text.startsWith('\x1bc')).toBe(true);
    await term.close();
  });

  it('pauses the shell while the writer has more than 512 KiB unacked, resumes below 128 KiB', async () => {
    const { tty, term } = setup();
    const writer = new FakeClient('write');
    const attachment = term.attach(writer);
    await expect.poll(() => writer.bytes.length).toBe(1); // the screen
    const screenBytes = writer.received;
    tty.emit(Buffer.alloc(512 * KiB - screenBytes, 0x61));
    expect(tty.paused).toBe(false); // exactly at the mark is not above it
    tty.emit('x');
    await expect.poll(() => tty.paused).toBe(true);
    // A client that never acks still got everything up to the mark (the screen counts).
    expect(writer.received).toBe(512 * KiB + 1);
    attachment.control({ type: 'ack', bytes: 300 * KiB });
    await expect.poll(() => term.screenText().length).toBeGreaterThan(0);
    expect(tty.paused).toBe(true);
    attachment.control({ type: 'ack', bytes: 100 * KiB });
    // Only once the server's own screen has parsed the flood too does the gate open.
    await expect.poll(() => tty.paused, { timeout: 5000 }).toBe(false);
    await term.close();
  });

  it('lets the shell run again when the blocking writer disconnects', async () => {
    const { tty, term } = setup();
    const writer = new FakeClient('write');
    const attachment = term.attach(writer);
    await expect.poll(() => writer.bytes.length).toBe(1);
    for (let i = 0; i < 9; i++) tty.emit(Buffer.alloc(64 * KiB, 0x62));
    await expect.poll(() => tty.paused).toBe(true);
    attachment.detach();
    await expect.poll(() => tty.paused, { timeout: 5000 }).toBe(false);
    await term.close();
  });

  it("answers a program's cursor-position query itself only while no writer is attached", async () => {
    const { tty, term } = setup();
    const written = () => Buffer.concat(tty.written).toString('latin1');
    tty.emit('ab\x1b[6n');
    // Row 1, column 3: what redis-cli's line editor waits for when its TTY has no size yet.
    await expect.poll(written).toBe('\x1b[1;3R');
    const writer = new FakeClient('write');
    term.attach(writer);
    tty.written = [];
    tty.emit('\x1b[6ncd');
    await term.waitFor(/abcd/); // parsed past the query
    await expect.poll(() => writer.text).toContain('\x1b[6n');
    // The browser's xterm answers now; a second answer would be typed into the program.
    expect(written()).toBe('');
    await term.close();
  });

  it('holds input typed during a resize until the TTY has the new size', async () => {
    const { tty, term } = setup();
    let finishResize: () => void = () => {};
    tty.resize = (cols, rows) =>
      new Promise<void>((resolve) => {
        finishResize = () => {
          tty.size = { cols, rows };
          resolve();
        };
      });
    const resized = term.resize(132, 43);
    term.write('stty size\r');
    expect(tty.written).toEqual([]);
    finishResize();
    await resized;
    expect(tty.size).toEqual({ cols: 132, rows: 43 });
    expect(Buffer.concat(tty.written).toString()).toBe('stty size\r');
    await term.close();
  });

  it("ignores a read-only viewer's input and acks; its backlog never pauses the shell", async () => {
    const { tty, term } = setup();
    const viewer = new FakeClient('read');
    const attachment = term.attach(viewer);
    attachment.input(Buffer.from('rm -rf /\r'));
    attachment.control({ type: 'resize', cols: 10, rows: 5 });
    expect(tty.written).toEqual([]);
    expect(tty.size).toEqual({ cols: 0, rows: 0 });
    for (let i = 0; i < 20; i++) tty.emit(Buffer.alloc(64 * KiB, 0x63));
    await expect.poll(() => tty.paused, { timeout: 5000 }).toBe(false);
    await term.close();
  });

  it('skips a viewer that fell behind ahead to a fresh screen once it drains', async () => {
    const { tty, term } = setup();
    const viewer = new FakeClient('read');
    term.attach(viewer);
    await expect.poll(() => viewer.bytes.length).toBe(1);
    viewer.buffered = 2 * 1024 * KiB;
    tty.emit('missed while behind\r\n');
    tty.emit('also missed\r\n');
    await new Promise((r) => setImmediate(r));
    expect(viewer.text).not.toContain('missed');
    viewer.buffered = 0;
    await expect.poll(() => viewer.text, { timeout: 5000 }).toContain('also missed');
    expect(viewer.text.lastIndexOf('\x1bc')).toBeGreaterThan(0); // a second screen, not the bytes
    await term.close();
  });

  it('a second writer replaces the first', async () => {
    const { tty, term } = setup();
    const first = new FakeClient('write');
    const a = term.attach(first);
    const second = new FakeClient('write');
    const b = term.attach(second);
    expect(first.closed).toBe(CLOSE_CODES.replaced);
    a.input(Buffer.from('old'));
    b.input(Buffer.from('new'));
    expect(Buffer.concat(tty.written).toString()).toBe('new');
    await term.close();
  });

  it('announces the exit code to every client after the last output, then closes them', async () => {
    const { tty, term } = setup();
    const writer = new FakeClient('write');
    term.attach(writer);
    await expect.poll(() => writer.bytes.length).toBe(1);
    tty.emit('bye\r\n');
    tty.end(7);
    await expect.poll(() => writer.controls).toEqual([{ type: 'exit', code: 7 }]);
    expect(writer.text).toContain('bye');
    expect(writer.closed).toBe(CLOSE_CODES.exited);
    expect(term.exitCode).toBe(7);
    await term.close();
  });

  it('waitFor matches output after the last write, not the prompt it was typed at', async () => {
    const { tty, term } = setup();
    tty.emit('root@box:~# ');
    term.write('echo hi\r');
    const waiting = term.waitFor(/root@/, { timeoutMs: 300 });
    tty.emit('echo hi\r\nhi\r\n');
    await expect(waiting).rejects.toThrow(/no match after 300 ms/);
    const found = term.waitFor(/^hi$/m, { timeoutMs: 1000 });
    await expect(found).resolves.toBeTruthy();
    const next = term.waitFor(/root@/, { timeoutMs: 1000 });
    tty.emit('root@box:~# ');
    await expect(next).resolves.toBeTruthy();
    await term.close();
  });

  it('waitFor gives up when aborted or when the shell exits', async () => {
    const { tty, term } = setup();
    const controller = new AbortController();
    const aborted = term.waitFor(/never/, { signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toThrow(/aborted/);
    const exited = term.waitFor(/never/);
    tty.end(1);
    await expect(exited).rejects.toThrow(/exited \(1\)/);
    await term.close();
    expect(tty.killed).toBe(true);
  });
});
