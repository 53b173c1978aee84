const LF = 0x0a;
const CR = 0x0d;

/**
 * Whether `chunk` is plain lines of text: printable ASCII, tab, backspace, CR and LF only. Such
 * bytes move the cursor and write cells but change no mode, colour, tab stop or scroll region,
 * and the emulator answers nothing to them; anything else (ESC, other controls, UTF-8, whose
 * C1 range holds CSI) is not plain.
 *
 * @example
 * isPlainText(Buffer.from('ok\r\n')) // true
 * isPlainText(Buffer.from('\x1b[31mred')) // false
 */
export function isPlainText(chunk: Uint8Array): boolean {
  for (let i = 0; i < chunk.length; i++) {
    const b = chunk[i]!;
    if (b >= 0x20 ? b > 0x7e : b !== LF && b !== CR && b !== 0x09 && b !== 0x08) return false;
  }
  return true;
}

/**
 * Where plain text can be cut without changing the screen it leaves: just after a CR LF that is
 * followed by at least `keepLines` more line feeds, or 0 when there is no such place.
 *
 * Why it is safe (for plain text on a screen whose scroll region is the whole screen): every
 * line feed either moves the cursor down or scrolls one line into the scrollback, so after
 * `rows` line feeds the cursor is on the last row whatever row it started on, and after
 * `scrollback + rows` more every line that existed before has left the buffer. The bytes after
 * the cut, written after a CR from any cursor position, so leave the same screen and scrollback
 * as the whole text does — with `keepLines ≥ scrollback + 2 × rows`.
 *
 * @example
 * collapseCut(Buffer.from('a\r\nb\r\nc\r\n'), 2) // 3: 'b\r\nc\r\n' is kept
 */
export function collapseCut(text: Uint8Array, keepLines: number): number {
  let seen = 0;
  for (let i = text.length - 1; i > 0; i--) {
    if (text[i] !== LF) continue;
    if (seen >= keepLines && text[i - 1] === CR) return i + 1;
    seen++;
  }
  return 0;
}
