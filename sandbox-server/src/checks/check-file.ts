import type { FileCheck, HistoryCheck } from '../contracts/lesson.ts';
import type { CheckContext } from './context.ts';
import { excerpt, fail, type Outcome, pass } from './outcome.ts';

/** `file`: a workspace file exists / contains / matches. */

/**
 * Evaluate a `file` check once.
 *
 * @example
 * await checkFile({ kind: 'file', path: 'Dockerfile', contains: 'FROM debian' }, ctx)
 */
export async function checkFile(check: FileCheck, ctx: CheckContext): Promise<Outcome> {
  const body = await ctx.sandbox.readFile(check.path).then(
    (buffer) => buffer.toString('utf8'),
    () => undefined,
  );
  const where = `~/work/${check.path}`;
  if (body === undefined) {
    if (check.exists === false) return pass(`${where} does not exist`, `${where} はありません`);
    return fail(
      `there should be a file ${where} but there is none`,
      `ファイル ${where} があるはずですが、見つかりません`,
    );
  }
  if (check.exists === false) {
    return fail(`${where} should not exist but it does`, `${where} はないはずですが、あります`);
  }
  const shown = excerpt(body) || 'empty';
  if (check.contains !== undefined && !body.includes(check.contains)) {
    return fail(
      `${where} should contain "${check.contains}" but it reads: ${shown}`,
      `${where} には "${check.contains}" が含まれるはずですが、内容: ${shown}`,
    );
  }
  if (check.matches !== undefined && !new RegExp(check.matches, 'm').test(body)) {
    return fail(
      `${where} should match /${check.matches}/ but it reads: ${shown}`,
      `${where} は /${check.matches}/ に合うはずですが、内容: ${shown}`,
    );
  }
  return pass(`${where} is as expected`, `${where} は期待どおりです`);
}

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
  if (hit) return pass(`you ran \`${excerpt(hit)}\``, `\`${excerpt(hit)}\` を実行しました`);
  if (all.some((entry) => pattern.test(entry.command))) {
    return fail(
      `you should run a command matching /${check.matches}/ in the terminal during this step; you ran one before, run it again now`,
      `/${check.matches}/ に合うコマンドをこのステップでターミナルから実行してください (以前の実行は数えません。もう一度実行してください)`,
    );
  }
  const last = commands.at(-1);
  return fail(
    `you should run a command matching /${check.matches}/ in the terminal, but ${last ? `the last command was \`${excerpt(last)}\`` : 'no command has been run yet in this step'}`,
    `/${check.matches}/ に合うコマンドをターミナルで実行してください (${last ? `最後のコマンド: \`${excerpt(last)}\`` : 'このステップではまだ何も実行されていません'})`,
  );
}
