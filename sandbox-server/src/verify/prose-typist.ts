import { keysToBytes } from '../contracts/terminal-keys.ts';
import type { ProseRun } from '../lessons/run-commands.ts';
import {
  markerNumber,
  SolutionError,
  type SolutionTerminal,
} from '../solutions/solution-runner.ts';

/**
 * Types a step's `<Run>`s into a real terminal as a learner's clicks would, one after another.
 * The shell marks each prompt (`[hs <n> <status>]`, installed by SolutionTypist.prepare), so a
 * plain command is done when the next marker shows, with its status. A Run with `expect` starts
 * or talks to an interactive program (`docker run -it`, `docker attach`, a password prompt): it
 * is done when the screen shows the regex, and the typist is then *inside* that program (no
 * markers) until the shell's prompt comes back — after keys such as C-p C-q, or `exit`.
 */

/**
 * How a Run reaches the terminal: by default its bytes are typed (the API-level replay); the
 * browser path clicks the page's button instead. Throws SolutionError when it cannot.
 */
export type SendRun = (run: ProseRun) => Promise<void>;

export interface ProseTypeOptions {
  signal?: AbortSignal;
  /** Seconds a command may take, and the default wait for `expect` (default 60). */
  commandTimeoutS?: number;
}

/** After an `expect` matched or keys were pressed, the screen must be this quiet. */
const SETTLE_MS = 200;
/** How long a Run typed inside a program has to draw its answer. */
const INSIDE_QUIET_MS = 400;
/**
 * How long to look for the shell's prompt before the next Run when the last one was typed into
 * a program (`exit`, `quit`, a password: the program may be ending), or after keys left it.
 */
const PROMPT_BACK_MS = 1000;
const ANY_MARKER = /\[hs (\d+) \d+\]/g;

const tail = (term: SolutionTerminal) => term.screenText().split('\n').slice(-8).join('\n');

/**
 * @example
 * const typist = new ProseTypist(term, solutionTypist.prompts);
 * const problem = await typist.type({ command: 'docker ps', fails: false, localized: false, line: 3 });
 * await typist.endOfStep();
 */
export class ProseTypist {
  private inside = false;

  constructor(
    private readonly term: SolutionTerminal,
    private prompts: number,
    private readonly opts: ProseTypeOptions = {},
    private readonly send: SendRun = async (run) => {
      if (run.command !== undefined) term.write(`${run.command}\r`);
      if (run.keys !== undefined) term.write(keysToBytes(run.keys));
    },
  ) {}

  /**
   * Type one Run. Returns a problem when it ran but not as the prose says (a non-zero status
   * not marked `fails`); throws SolutionError when the terminal is stuck (the next Runs could
   * not be typed where the prose means them).
   */
  async type(run: ProseRun): Promise<string | undefined> {
    if (this.inside) await this.promptBack(PROMPT_BACK_MS);
    else this.resync();
    const what = run.command !== undefined ? `\`${run.command}\`` : `keys ${run.keys}`;
    await this.send(run);
    if (run.expect !== undefined) {
      const timeoutMs = (run.timeoutS ?? this.commandTimeoutS) * 1000;
      await this.term
        .waitFor(new RegExp(run.expect, 'm'), { timeoutMs, signal: this.opts.signal })
        .catch(() => {
          throw new SolutionError(
            `after ${what} the screen never showed /${run.expect}/ (waited ${timeoutMs / 1000} s)`,
            tail(this.term),
          );
        });
      await this.term.quiet(SETTLE_MS, { signal: this.opts.signal });
      this.inside = true;
      return undefined;
    }
    if (this.inside) {
      // Talking to a program: no prompt marks the end, the screen going quiet does.
      await this.term.quiet(INSIDE_QUIET_MS, { signal: this.opts.signal });
      if (run.keys !== undefined) await this.promptBack(PROMPT_BACK_MS);
      return undefined;
    }
    if (run.command === undefined) {
      // Keys at the shell's own prompt (C-l, say) start no program.
      await this.term.quiet(SETTLE_MS, { signal: this.opts.signal });
      this.resync();
      return undefined;
    }
    // A Run's own timeout lets one slow command (a first pull) take longer than the rest.
    const timeoutS = run.timeoutS ?? this.commandTimeoutS;
    const status = await this.nextPrompt(timeoutS * 1000).catch(() => {
      throw new SolutionError(
        `${what} did not finish within ${timeoutS} s (a Run that starts an interactive program needs expect="…", the text its screen shows when ready; a slow one, timeout={…})`,
        tail(this.term),
      );
    });
    if (status !== 0 && !run.fails) {
      return `${what} exited with status ${status} (mark the <Run> \`fails\` if the prose means it to fail)\n${indent(tail(this.term))}`;
    }
    if (status === 0 && run.fails) return `${what} is marked \`fails\` but exited with status 0`;
    return undefined;
  }

  /** The step's Runs are done: the learner must be back at the shell's prompt. */
  async endOfStep(): Promise<void> {
    if (!this.inside) return;
    await this.promptBack(this.commandTimeoutS * 1000);
    if (this.inside) {
      throw new SolutionError(
        `after the step's last <Run> the shell's prompt did not come back: the prose leaves the learner inside a program (add the keys or command that leaves it)`,
        tail(this.term),
      );
    }
  }

  private get commandTimeoutS(): number {
    return this.opts.commandTimeoutS ?? 60;
  }

  /** The status the next prompt's marker shows. */
  private async nextPrompt(timeoutMs: number): Promise<number> {
    const match = await this.term.waitFor(markerNumber(this.prompts + 1), {
      timeoutMs,
      signal: this.opts.signal,
    });
    this.prompts += 1;
    return Number(match[1]);
  }

  /**
   * Catch up with prompts the shell showed while the typist thought it was inside a program
   * (a program that ended later than expected): the newest marker on the screen counts.
   */
  private resync(): boolean {
    let newest = this.prompts;
    for (const match of this.term.screenText().matchAll(ANY_MARKER))
      newest = Math.max(newest, Number(match[1]));
    if (newest === this.prompts) return false;
    this.prompts = newest;
    this.inside = false;
    return true;
  }

  /** Whether the shell's prompt came back (the program ended or was left) within `ms`. */
  private async promptBack(ms: number): Promise<void> {
    if (this.resync()) return;
    const back = await this.nextPrompt(ms).then(
      () => true,
      () => false,
    );
    if (back) this.inside = false;
    else this.resync();
  }
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `      | ${line}`)
    .join('\n');
