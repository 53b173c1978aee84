import { WORKSPACE } from '../sandbox/driver.ts';

/**
 * What a terminal runs inside the sandbox.
 *
 * Why tmux: the screen must survive a server restart. A Docker exec cannot be re-attached
 * once its stream closes, and a headless screen persisted by the server would come back
 * without the shell behind it. A tmux session per terminal keeps both the shell and its screen
 * in the sandbox; after a restart the server attaches a new tmux client to the same session and
 * tmux redraws the screen. tmux is configured to stay invisible: no status line, no prefix key
 * (so `C-b`, `C-p C-q` reach the learner's programs), no alternate screen (so output scrolls
 * into the browser's scrollback), and it drops a slow client's backlog and redraws instead of
 * buffering it. Sandboxes without tmux fall back to a plain bash (screen lost on restart).
 */

/** Where each terminal's shell appends its history: `<HISTORY_DIR>/<terminal-id>`. */
export const HISTORY_DIR = '/root/.handson/history';
/** Private tmux socket name (`tmux -L`), so a learner's own tmux is never touched. */
export const TMUX_SOCKET = 'handson';
const CONFIG_DIR = '/root/.handson';
const TMUX_CONF = `${CONFIG_DIR}/tmux.conf`;

const TMUX_CONFIG = [
  'set -g prefix None',
  'unbind C-b',
  'set -g status off',
  'set -g escape-time 0',
  'set -g history-limit 5000',
  'set -g default-terminal screen-256color',
  'set -g window-size latest',
  'set -g mouse off',
  'set -g set-clipboard off',
  'set -g destroy-unattached off',
  "set -ga terminal-overrides ',*:smcup@:rmcup@'",
].join('\n');

/** Environment of every terminal's shell: history written as each command finishes. */
export function shellEnvironment(terminalId: string): Record<string, string> {
  return {
    HISTFILE: `${HISTORY_DIR}/${terminalId}`,
    PROMPT_COMMAND: 'history -a',
    HISTTIMEFORMAT: '%F %T ',
    HISTSIZE: '10000',
    HISTFILESIZE: '100000',
  };
}

/**
 * The argv that starts (or, after a server restart, re-attaches) terminal `terminalId`.
 * `-A -D` attaches to the session if it exists and detaches any stale client left by a previous
 * server process (that tmux client then exits, and so does its exec).
 *
 * @example
 * sandbox.openTty({ cmd: shellCommand('main', 120, 40), cols: 120, rows: 40, env: terminalEnv() });
 */
export function shellCommand(terminalId: string, cols: number, rows: number): string[] {
  const env = Object.entries(shellEnvironment(terminalId))
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join(' ');
  const script = [
    `mkdir -p ${HISTORY_DIR} ${WORKSPACE} && cd ${WORKSPACE}`,
    `printf '%s\\n' ${shellQuote(TMUX_CONFIG)} > ${TMUX_CONF}`,
    'if command -v tmux >/dev/null 2>&1; then',
    `  exec tmux -L ${TMUX_SOCKET} -f ${TMUX_CONF} -u new-session -A -D -s ${terminalId} -x ${cols} -y ${rows} -c ${WORKSPACE} ${shellQuote(`env ${env} bash -i`)}`,
    'fi',
    `exec env ${env} bash -i`,
  ].join('\n');
  return ['sh', '-c', script];
}

/** Environment for the TTY process itself (the tmux client, or bash without tmux). */
export function terminalEnv(): Record<string, string> {
  return { TERM: 'xterm-256color', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
}

/** Ends terminal `terminalId`'s tmux session (its shell and everything it started). */
export function killCommand(terminalId: string): string[] {
  return ['sh', '-c', `tmux -L ${TMUX_SOCKET} kill-session -t ${terminalId} 2>/dev/null; true`];
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
