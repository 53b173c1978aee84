/**
 * Turns a step's solution (ARCHITECTURE.md: shell text, or a list of `{type}`, `{keys}`,
 * `{expect, timeout}` actions) into what the terminal should receive, so **Solve** types
 * exactly what a learner would.
 */

// The key names are the same for Solve and `handson verify`: one definition, in the contracts.
import type { Solution, SolutionAction } from '#contracts/lesson-solution.ts';
import { keysToBytes } from '#contracts/terminal-keys.ts';

// The solution's shape is the lesson contract's (type-only: no schema code in the page).
export type { Solution, SolutionAction };
export { keysToBytes };

/** One thing to do in the terminal: send bytes, or wait until the screen matches. */
export type TerminalStep = { send: string } | { waitFor: RegExp; timeoutMs: number };

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
