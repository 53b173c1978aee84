import type { Solution } from '#contracts/lesson.ts';
import { keysToBytes } from '#contracts/terminal-keys.ts';
import { shellUnits } from './shell-units.ts';

/**
 * Types solutions into a real terminal, the way a learner would, and learns when each command
 * finished and with which status: the shell prints a marker `[hs <n> <status>]` before every
 * prompt (via PROMPT_COMMAND, so programs a command starts — an inner `bash` in `docker run
 * -it` — print none). Screen text, not raw bytes, is matched, because tmux redraws output.
 */

/** The part of a terminal session the runner needs (TerminalSession fits). */
export interface SolutionTerminal {
  write(data: string): void;
  /** Resolves when the pattern appears in the output after the last write. */
  waitFor(
    pattern: RegExp,
    opts?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<RegExpMatchArray>;
  screenText(): string;
  /** Resolves once no output has arrived for `quietMs`. */
  quiet(quietMs: number, opts?: { signal?: AbortSignal }): Promise<void>;
}

/** A solution that failed: which command, and why, with the end of the screen. */
export class SolutionError extends Error {
  constructor(
    message: string,
    readonly screen: string,
  ) {
    super(message);
    this.name = 'SolutionError';
  }
}

export interface TypeOptions {
  signal?: AbortSignal;
  /** Seconds one command may take before it counts as hanging (default 60). */
  commandTimeoutS?: number;
  /** Judge each command's exit status (default true); a mistake's commands may well fail. */
  statusMatters?: boolean;
}

const MARKER = /\[hs (\d+) (\d+)\]/;
/**
 * After an `expect` matched, the screen must be this quiet before the next action: the program
 * that drew the awaited prompt may still ask the terminal where the cursor is, and keys typed
 * before the answer reaches it (C-p C-q detaching `docker attach`, say) would strand that answer
 * at the next prompt.
 */
const SETTLE_MS = 150;
/** The marker the shell prints before its `n`th prompt; group 1 is the status. */
export const markerNumber = (n: number) => new RegExp(`\\[hs ${n} (\\d+)\\]`);

function tail(term: SolutionTerminal): string {
  return term.screenText().split('\n').slice(-8).join('\n');
}

/**
 * Drives one shell: install the marker once with `prepare()`, then `run()` each solution.
 *
 * @example
 * const typist = new SolutionTypist(await openTerminal(sandbox, { id: 'verify' }));
 * await typist.prepare();
 * await typist.run('docker run -d --name web nginx');
 */
export class SolutionTypist {
  private count = 0;
  private syncs = 0;

  constructor(private readonly term: SolutionTerminal) {}

  /** How many prompts the shell has shown since `prepare()` (the last marker's number). */
  get prompts(): number {
    return this.count;
  }

  /** Install the completion marker and wait for the shell to show it once. */
  async prepare(opts: TypeOptions = {}): Promise<void> {
    // Single quotes keep `$?` for PROMPT_COMMAND; the printf format never matches MARKER itself.
    this.term.write(
      ` __hs_n=0; PROMPT_COMMAND='__hs_rc=$?; __hs_n=$((__hs_n+1)); printf "\\n[hs %d %d]\\n" "$__hs_n" "$__hs_rc"; '"$PROMPT_COMMAND"\r`,
    );
    await this.expectMarker(1, 'the shell did not start', {
      ...opts,
      commandTimeoutS: opts.commandTimeoutS ?? 30,
    });
  }

  /**
   * Type a whole solution; throws SolutionError on a hanging command, and on a failing one
   * unless `statusMatters` is false.
   */
  async run(solution: Solution, opts: TypeOptions = {}): Promise<void> {
    if (typeof solution === 'string') {
      for (const unit of shellUnits(solution)) {
        for (const line of unit) this.term.write(`${line}\r`);
        const status = await this.expectMarker(this.count + 1, `\`${unit[0]}\``, opts);
        if (status !== 0 && opts.statusMatters !== false) {
          throw new SolutionError(
            `\`${unit.join(' ⏎ ')}\` exited with status ${status}`,
            tail(this.term),
          );
        }
      }
      return;
    }
    for (const action of solution) {
      if ('type' in action) this.term.write(`${action.type}\r`);
      else if ('keys' in action) this.term.write(keysToBytes(action.keys));
      else {
        const timeoutMs = (action.timeout ?? 10) * 1000;
        await this.term
          .waitFor(new RegExp(action.expect, 'm'), { timeoutMs, signal: opts.signal })
          .catch(() => {
            throw new SolutionError(
              `the screen never showed /${action.expect}/ (waited ${timeoutMs / 1000} s)`,
              tail(this.term),
            );
          });
        await this.term.quiet(SETTLE_MS, { signal: opts.signal });
      }
    }
    // Back at the shell's prompt: a marker after the last thing typed.
    const timeoutMs = (opts.commandTimeoutS ?? 60) * 1000;
    await this.term.waitFor(MARKER, { timeoutMs, signal: opts.signal }).catch(() => {
      throw new SolutionError(
        `the shell prompt did not come back within ${timeoutMs / 1000} s after the last action`,
        tail(this.term),
      );
    });
    // That marker may be an earlier command's (typed ahead of the last one, it can print its
    // prompt after the last write): a command of our own, which the shell runs after all of
    // them, tells the true count. An interactive solution often ends a program with C-c or
    // `exit` after a failed command, so no status is judged: the step's checks are.
    this.count = await this.sync(timeoutMs, opts.signal);
  }

  /**
   * Type a command that prints a token of its own, and read the number of the marker that
   * follows it: the prompt shown after everything typed so far has run. Its echo holds the
   * format (`%s`), never the token, so only its output matches. A leading space keeps it out
   * of the learner's history.
   */
  private async sync(timeoutMs: number, signal: AbortSignal | undefined): Promise<number> {
    const token = `${Date.now().toString(36)}${(this.syncs++).toString(36)}`;
    this.term.write(` printf '[hs-sync %s]\\n' ${token}\r`);
    const match = await this.term
      .waitFor(new RegExp(`\\[hs-sync ${token}\\]\\s*\\[hs (\\d+) \\d+\\]`), {
        timeoutMs,
        signal,
      })
      .catch(() => {
        throw new SolutionError(
          `the shell did not run a command typed after the last action within ${timeoutMs / 1000} s: the solution's actions must end at the shell's prompt, not inside a program`,
          tail(this.term),
        );
      });
    return Number(match[1]);
  }

  private async expectMarker(n: number, what: string, opts: TypeOptions): Promise<number> {
    const timeoutMs = (opts.commandTimeoutS ?? 60) * 1000;
    const match = await this.term
      .waitFor(markerNumber(n), { timeoutMs, signal: opts.signal })
      .catch(() => {
        throw new SolutionError(
          opts.signal?.aborted
            ? `${what} was interrupted`
            : `${what} did not finish within ${timeoutMs / 1000} s`,
          tail(this.term),
        );
      });
    this.count = n;
    return Number(match[1]);
  }
}
