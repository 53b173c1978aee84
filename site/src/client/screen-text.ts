/** The minimal part of an xterm buffer that `screenText` reads (so unit tests can fake it). */
export interface BufferLike {
  length: number;
  getLine(y: number): { translateToString(trimRight?: boolean): string } | undefined;
}

/**
 * The text of a terminal buffer's last `rows` lines (all lines when omitted), one per line.
 *
 * @example
 * screenText(term.buffer.active).includes('Hello from Docker!')
 */
export function screenText(buffer: BufferLike, rows?: number): string {
  const start = rows === undefined ? 0 : Math.max(0, buffer.length - rows);
  const lines: string[] = [];
  for (let y = start; y < buffer.length; y++) {
    lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
  }
  return lines.join('\n');
}
