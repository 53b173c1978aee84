import type { HistoryCheck } from '../../contracts/lesson.ts';
import type { CheckContext } from '../context.ts';
import { excerpt, fail, type Outcome, pass } from '../outcome.ts';

/**
 * `history`: the learner ran a matching command in one of the sandbox's terminals during this
 * step, read from the bash history files (`#<epoch>` stamp lines before each command).
 */

/** One command from a bash history file, with the second bash stamped it (when it did). */
export interface HistoryEntry {
  command: string;
  /** Seconds since the epoch, from the `#<epoch>` line bash writes before it. */
  at?: number;
}

/** Commands from bash history files, each with its `#<epoch>` timestamp line folded in. */
export function historyEntries(text: string): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  let at: number | undefined;
  for (const line of text.split('\n')) {
    const stamp = /^#(\d+)$/.exec(line);
    if (stamp) at = Number(stamp[1]);
    else if (line.trim() !== '') {
      entries.push(at === undefined ? { command: line } : { command: line, at });
      at = undefined;
    }
  }
  return entries;
}

/** Entries entered after `sinceMs` (all of them without a bound; unstamped ones only then). */
export function enteredSince(entries: HistoryEntry[], sinceMs: number | undefined): HistoryEntry[] {
  if (sinceMs === undefined) return entries;
  const sinceS = Math.floor(sinceMs / 1000);
  return entries.filter((entry) => entry.at !== undefined && entry.at > sinceS);
}

/**
 * Evaluate a `history` check once: some terminal of the sandbox ran a matching command during
 * this step (after `ctx.historySince`, when the caller knows when the step began).
 *
 * @example
 * await checkHistory({ kind: 'history', matches: 'docker ps -a' }, ctx)
 */
export async function checkHistory(check: HistoryCheck, ctx: CheckContext): Promise<Outcome> {
  const all = historyEntries(await ctx.sandbox.readHistory());
  const commands = enteredSince(all, ctx.historySince).map((entry) => entry.command);
  const pattern = new RegExp(check.matches);
  const hit = commands.find((command) => pattern.test(command));
  if (hit)
    return pass(
      `you ran \`${excerpt(hit)}\``,
      `\`${excerpt(hit)}\` を実行しました`,
      `你运行了 \`${excerpt(hit)}\``,
    );
  if (all.some((entry) => pattern.test(entry.command))) {
    return fail(
      `you should run a command matching /${check.matches}/ in the terminal during this step; you ran one before, run it again now`,
      `/${check.matches}/ に合うコマンドをこのステップでターミナルから実行してください (以前の実行は数えません。もう一度実行してください)`,
      `这一步需要在终端里运行一条匹配 /${check.matches}/ 的命令；你之前运行过，但之前的不算，请现在再运行一次`,
    );
  }
  const last = commands.at(-1);
  return fail(
    `you should run a command matching /${check.matches}/ in the terminal, but ${last ? `the last command was \`${excerpt(last)}\`` : 'no command has been run yet in this step'}`,
    `/${check.matches}/ に合うコマンドをターミナルで実行してください (${last ? `最後のコマンド: \`${excerpt(last)}\`` : 'このステップではまだ何も実行されていません'})`,
    `需要在终端里运行一条匹配 /${check.matches}/ 的命令，但${last ? `最后一条命令是 \`${excerpt(last)}\`` : '这一步还没有运行过任何命令'}`,
  );
}
