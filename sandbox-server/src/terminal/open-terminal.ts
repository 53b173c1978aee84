import type { Sandbox } from '../sandbox/driver.ts';
import { killCommand, shellCommand, terminalEnv } from './shell-command.ts';
import { TerminalSession } from './terminal-session.ts';

export interface OpenTerminalOptions {
  /** Terminal id (tmux session name, history file name); default `main`. */
  id?: string;
  cols?: number;
  rows?: number;
}

/**
 * Open (or, after a server restart, re-attach) a shell in the sandbox: bash in /root/work
 * inside a tmux session, history appended to `HISTORY_DIR/<id>` as each command finishes.
 * The caller owns the result and must `close()` it (which ends the shell).
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
  const tty = await sandbox.openTty({
    cmd: shellCommand(id, cols, rows),
    cols,
    rows,
    env: terminalEnv(),
  });
  return new TerminalSession(id, tty, {
    cols,
    rows,
    kill: async () => {
      await sandbox.exec(killCommand(id), { timeoutMs: 5000 });
    },
  });
}
