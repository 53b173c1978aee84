/**
 * tmux-style key names (`C-p C-q`, `Enter`, `C-c`, `Up`) as the bytes a terminal sends, for a
 * solution's `{keys: …}` action. Framework-free: the site's **Solve** button and `handson
 * verify` type exactly the same bytes.
 */

const NAMED_KEYS: Record<string, string> = {
  enter: '\r',
  tab: '\t',
  escape: '\x1b',
  esc: '\x1b',
  space: ' ',
  bspace: '\x7f',
  backspace: '\x7f',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
};

/**
 * Bytes for key names separated by spaces.
 *
 * @example
 * keysToBytes('C-p C-q') // '\x10\x11'
 * keysToBytes('C-c') // '\x03'
 */
export function keysToBytes(keys: string): string {
  return keys
    .split(/\s+/)
    .filter(Boolean)
    .map((key) => {
      const ctrl = /^C-(.)$/i.exec(key);
      if (ctrl) {
        const ch = ctrl[1]!.toLowerCase();
        const code = ch.charCodeAt(0);
        if (code >= 97 && code <= 122) return String.fromCharCode(code - 96);
        if (ch === '[') return '\x1b';
        if (ch === '\\') return '\x1c';
        if (ch === ']') return '\x1d';
        return ch;
      }
      const meta = /^M-(.)$/i.exec(key);
      if (meta) return `\x1b${meta[1]}`;
      return NAMED_KEYS[key.toLowerCase()] ?? key;
    })
    .join('');
}

const KEY_LABELS: Record<string, string> = {
  enter: 'Enter',
  tab: 'Tab',
  escape: 'Esc',
  esc: 'Esc',
  space: 'Space',
  bspace: 'Backspace',
  backspace: 'Backspace',
  up: '↑',
  down: '↓',
  right: '→',
  left: '←',
};

/**
 * The keys as a person reads them on a keyboard, one label per key: what the lesson page shows
 * for `<Run keys="…">`.
 *
 * @example
 * keyLabels('C-p C-q') // ['Ctrl-P', 'Ctrl-Q']
 * keyLabels('Enter') // ['Enter']
 */
export function keyLabels(keys: string): string[] {
  return keys
    .split(/\s+/)
    .filter(Boolean)
    .map((key) => {
      const ctrl = /^C-(.)$/i.exec(key);
      if (ctrl) return `Ctrl-${ctrl[1]!.toUpperCase()}`;
      const meta = /^M-(.)$/i.exec(key);
      if (meta) return `Alt-${meta[1]!.toUpperCase()}`;
      return KEY_LABELS[key.toLowerCase()] ?? key;
    });
}
