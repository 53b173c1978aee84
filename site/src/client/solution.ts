/**
 * Turns a step's solution (DESIGN.md: shell text, or a list of `{type}`, `{keys}`,
 * `{expect, timeout}` actions) into what the terminal should receive, so **Solve** types
 * exactly what a learner would.
 */

export type SolutionAction =
  | { type: string }
  | { keys: string }
  | { expect: string; timeout?: number };

export type Solution = string | readonly SolutionAction[];

/** One thing to do in the terminal: send bytes, or wait until the screen matches. */
export type TerminalStep = { send: string } | { waitFor: RegExp; timeoutMs: number };

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
 * Bytes for tmux-style key names separated by spaces (`C-p C-q`, `Enter`, `C-c`).
 *
 * @example
 * keysToBytes('C-p C-q') // '\x10\x11'
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
      return NAMED_KEYS[key.toLowerCase()] ?? key;
    })
    .join('');
}

/**
 * The terminal steps for a solution: each non-empty line of shell text is typed and entered.
 *
 * @example
 * solutionSteps('docker pull busybox\ndocker images')
 * // [{ send: 'docker pull busybox\r' }, { send: 'docker images\r' }]
 */
export function solutionSteps(solution: Solution): TerminalStep[] {
  if (typeof solution === 'string') {
    // Typed line by line, as a person pasting it would: the shell handles `\` and heredocs.
    return solution
      .replace(/\r\n/g, '\n')
      .trim()
      .split('\n')
      .map((line) => ({ send: `${line}\r` }));
  }
  return solution.map((action): TerminalStep => {
    if ('type' in action) return { send: `${action.type}\r` };
    if ('keys' in action) return { send: keysToBytes(action.keys) };
    return { waitFor: new RegExp(action.expect), timeoutMs: (action.timeout ?? 10) * 1000 };
  });
}
