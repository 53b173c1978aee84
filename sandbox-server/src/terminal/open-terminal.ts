import type { Sandbox } from '../sandbox/driver.ts';
import {
  killCommand,
  type ShellHolder,
  shellCommand,
  terminalEnv,
} from '../sandbox/shell-command.ts';
import { TerminalSession } from './terminal-session.ts';

export interface OpenTerminalOptions {
  /** Terminal id (history file name, holder session name); default `main`. */
  id?: string;
  cols?: number;
  rows?: number;
  /** What keeps the shell across a server restart; see shell-command.ts. Default `auto`. */
  holder?: ShellHolder;
  /** Save the screen in the sandbox for a restarted server (default true). */
  persistScreen?: boolean;
}

/**
 * Open (or, after a server restart, re-attach) a shell in the sandbox: bash in /root/work,
 * history appended to `HISTORY_DIR/<id>` as each command finishes, the last screen saved in
 * the sandbox and shown again by a restarted server. The caller owns the result and must
 * `close()` it (which ends the shell) or `release()` it (server shutdown: the shell may live on).
 *
 * @example
 * const term = await openTerminal(sandbox, { cols: 120, rows: 40 });
 * term.write('docker run -it --name box debian bash\r');
 * await term.waitFor(/root@[0-9a-f]+:\/#/, { timeoutMs: 20_000 });
 * term.write('\x10\x11'); // C-p C-q
 * console.log(term.screenText());
 * await term.close();
 */
export async function openTerminal(
  sandbox: Sandbox,
  opts: OpenTerminalOptions = {},
): Promise<TerminalSession> {
  const id = opts.id ?? 'main';
  const cols = opts.cols ?? 120;
  const rows = opts.rows ?? 40;
  const holder = opts.holder ?? 'auto';
  // tmux redraws its own screen on attach; the others get the saved one back.
  const persist = (opts.persistScreen ?? true) && holder !== 'tmux';
  const tty = await sandbox.openTty({
    cmd: shellCommand(id, cols, rows, holder),
    cols,
    rows,
    env: terminalEnv(),
  });
  return new TerminalSession(id, tty, {
    cols,
    rows,
    persist: persist ? (screen) => sandbox.saveScreen(id, screen) : undefined,
    kill: async () => {
      await sandbox.exec(killCommand(id), { timeoutMs: 5000 });
    },
  });
}
