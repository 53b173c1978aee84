import { describe, expect, it } from 'vitest';
import { collapseCut, isPlainText } from '../../../sandbox-server/src/terminal/flood-collapse.ts';
import { HeadlessScreen } from '../../../sandbox-server/src/terminal/headless-screen.ts';

/** `count` numbered lines of `width` characters, as a TTY sends them (CR LF). */
function lines(count: number, width = 200, from = 0): Buffer {
  const out: string[] = [];
  for (let i = from; i < from + count; i++) out.push(`${i}:`.padEnd(width, 'x'), '\r\n');
  return Buffer.from(out.join(''));
}

/**
 * Feed `parts` in 64 KiB writes, one per event-loop turn, as the output batcher hands them on.
 * After each part the screen catches up (held text is released then): a cut is only made on an
 * idle parser, so waiting here, not the machine's speed, decides that the parser is idle.
 */
async function screenAfter(parts: Buffer[], holdBytes: number): Promise<HeadlessScreen> {
  const screen = new HeadlessScreen(120, 40, { scrollback: 200, holdBytes });
  for (const part of parts) {
    for (let i = 0; i < part.length; i += 64 * 1024) {
      screen.write(part.subarray(i, i + 64 * 1024));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise<void>((resolve) => screen.atCurrentPosition(resolve));
  }
  await screen.flushed();
  return screen;
}

describe('isPlainText', () => {
  it('takes printable ASCII and CR, LF, tab, backspace; refuses ESC, other controls and UTF-8', () => {
    expect(isPlainText(Buffer.from('ab c\t\b\r\n~'))).toBe(true);
    expect(isPlainText(Buffer.from('a\x1b[2J'))).toBe(false);
    expect(isPlainText(Buffer.from('bell\x07'))).toBe(false);
    expect(isPlainText(Buffer.from('\x0e'))).toBe(false); // SO switches the character set
    expect(isPlainText(Buffer.from('caf\u00e9'))).toBe(false);
    expect(isPlainText(Buffer.from('\x7f'))).toBe(false);
  });
});

describe('collapseCut', () => {
  it('cuts just after a CR LF that keeps the last keepLines line feeds', () => {
    expect(collapseCut(Buffer.from('a\r\nb\r\nc\r\n'), 2)).toBe(3);
    expect(collapseCut(Buffer.from('a\r\nb\r\nc\r\n'), 3)).toBe(0);
    // A bare LF is no place to cut: the column after it is not known to be 0.
    expect(collapseCut(Buffer.from('a\nb\nc\r\n'), 1)).toBe(0);
  });
});

describe('HeadlessScreen flood collapse', () => {
  it('parses only the tail of a plain flood and ends with the same screen and scrollback', async () => {
    const flood = [Buffer.from('$ yes\r\n'), lines(6000)];
    const collapsed = await screenAfter(flood, 1024 * 1024);
    const full = await screenAfter(flood, 0);
    expect(collapsed.collapsedBytes).toBeGreaterThan(flood[1]!.length / 2);
    expect(full.collapsedBytes).toBe(0);
    expect(collapsed.serialize()).toBe(full.serialize());
    expect(collapsed.text()).toContain('5999:');
    expect(collapsed.pendingBytes).toBe(0);
  });

  it('ends the same after coloured output, a cursor left mid-screen and a short last line', async () => {
    const parts = [
      Buffer.from('\x1b[31mred\x1b[0m\r\n\x1b[5;10Hmid-screen'),
      lines(3000, 50),
      Buffer.from('tail without newline'),
    ];
    const collapsed = await screenAfter(parts, 256 * 1024);
    const full = await screenAfter(parts, 0);
    expect(collapsed.collapsedBytes).toBeGreaterThan(0);
    expect(collapsed.serialize()).toBe(full.serialize());
  });

  it('parses every line inside a scroll region (lines leaving it never reach the scrollback)', async () => {
    const parts = [Buffer.from('\x1b[5;30r\x1b[10;1H'), lines(4000, 120)];
    const screen = await screenAfter(parts, 1024 * 1024);
    expect(screen.collapsedBytes).toBe(0);
    expect(screen.serialize()).toBe((await screenAfter(parts, 0)).serialize());
  });

  it('parses every line while someone waits for a pattern in the output', async () => {
    const screen = new HeadlessScreen(120, 40, { scrollback: 200 });
    const stop = screen.keepEveryLine();
    const flood = lines(6000);
    for (let i = 0; i < flood.length; i += 64 * 1024)
      screen.write(flood.subarray(i, i + 64 * 1024));
    await screen.flushed();
    stop();
    expect(screen.collapsedBytes).toBe(0);
    expect(screen.text()).toContain('5999:');
  });
});
