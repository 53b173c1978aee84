/**
 * What a terminal runs inside the sandbox, and how its shell outlives a server restart.
 *
 * A Docker exec cannot be re-attached once its stream closes, so keeping the *shell* across a
 * restart needs a holder process in the sandbox. Measured here (10 MB of output, exec TTY):
 * plain bash 1.7 s, bash under tmux 5.9 s with tmux dropping 65 % of the bytes, and a 50 MB
 * flood through tmux stalled for a minute: tmux re-emulates and redraws every byte, which is
 * the lag learners complain about. So the choice is:
 * - plain bash (the default): fastest; after a restart the persisted screen comes back and a
 *   new shell continues below it (history kept, cwd and variables not). dtach would keep the
 *   shell at no cost, but its client clears the screen on attach, which wipes the restored
 *   screen — and the screen is what a learner needs back.
 * - `tmux` (opt-in, `holder: 'tmux'`): shell and screen both live in the sandbox, at tmux's
 *   throughput. Configured invisible: no status line, no prefix key (C-b and C-p C-q reach the
 *   learner's programs), no alternate screen (output scrolls into the browser's scrollback).
 */
/** `auto` and `none`: plain bash; `tmux`: bash held by tmux. */
export type ShellHolder = 'auto' | 'tmux' | 'none';

/**
 * The terminals' state lives in `~/.handson` of whoever runs the shell: /root in a dind
 * sandbox, the learner's own home with the host driver. Scripts below name it through `$HOME`
 * (double-quoted: a home may hold spaces); the constants are the dind paths, for callers that
 * read files without a shell.
 */
const STATE_DIR = '"$HOME"/.handson';
/** History files for shell scripts: `<HISTORY_DIR_SH>/<terminal-id>`. */
export const HISTORY_DIR_SH = `${STATE_DIR}/history`;
/** Where each terminal's shell appends its history in a dind sandbox. */
export const HISTORY_DIR = '/root/.handson/history';
/** Where the server keeps each terminal's last screen in a dind sandbox (escape sequences). */
export const SCREEN_DIR = '/root/.handson/screens';
const SCREEN_DIR_SH = `${STATE_DIR}/screens`;
/** Private tmux socket name (`tmux -L`), so a learner's own tmux is never touched. */
export const TMUX_SOCKET = 'handson';
const PID_DIR = `${STATE_DIR}/pids`;
const TMUX_CONF = `${STATE_DIR}/tmux.conf`;

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
    HISTFILE: `${HISTORY_DIR_SH}/${terminalId}`,
    PROMPT_COMMAND: 'history -a',
    HISTTIMEFORMAT: '%F %T ',
    HISTSIZE: '10000',
    HISTFILESIZE: '100000',
  };
}

/**
 * The argv that starts (or, after a server restart, re-attaches) terminal `terminalId`.
 * The shell records its pid so `killCommand` can end it whichever holder runs it; without a
 * holder, a shell left over from a previous server process is ended first.
 *
 * @example
 * sandbox.openTty({ cmd: shellCommand('main', 120, 40), cols: 120, rows: 40, env: terminalEnv() });
 */
export function shellCommand(
  terminalId: string,
  cols: number,
  rows: number,
  holder: ShellHolder = 'auto',
): string[] {
  const env = Object.entries(shellEnvironment(terminalId))
    // HISTFILE names $HOME, which the shell must expand; the rest are literal.
    .map(([k, v]) => `${k}=${k === 'HISTFILE' ? v : shellQuote(v)}`)
    .join(' ');
  const pidfile = `${PID_DIR}/${terminalId}`;
  // The shell itself writes its pid, then becomes bash (same pid).
  const shell = `sh -c ${shellQuote(`echo $$ > ${pidfile}; exec env ${env} bash -i`)}`;
  // The driver starts the shell in the workspace (/root/work, or the host driver's folder).
  const setup = `mkdir -p ${HISTORY_DIR_SH} ${SCREEN_DIR_SH} ${PID_DIR}`;
  const lines =
    holder === 'tmux'
      ? [
          setup,
          `printf '%s\\n' ${shellQuote(TMUX_CONFIG)} > ${TMUX_CONF}`,
          `exec tmux -L ${TMUX_SOCKET} -f ${TMUX_CONF} -u new-session -A -D -s ${terminalId} -x ${cols} -y ${rows} -c "$PWD" ${shellQuote(shell)}`,
        ]
      : [
          setup,
          // The saved screen goes out first, as the TTY's first bytes: no extra exec per open.
          `[ -s ${SCREEN_DIR_SH}/${terminalId} ] && cat ${SCREEN_DIR_SH}/${terminalId} && printf '\r\n'`,
          `[ -f ${pidfile} ] && kill -HUP "$(cat ${pidfile})" 2>/dev/null`,
          `exec ${shell}`,
        ];
  return ['sh', '-c', lines.join('\n')];
}

/** Environment for the TTY process itself (the holder's client, or bash). */
export function terminalEnv(): Record<string, string> {
  return { TERM: 'xterm-256color', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
}

/** Ends terminal `terminalId`'s shell (and, through SIGHUP, its jobs) and forgets its screen. */
export function killCommand(terminalId: string): string[] {
  const pidfile = `${PID_DIR}/${terminalId}`;
  return [
    'sh',
    '-c',
    [
      `[ -f ${pidfile} ] && kill -HUP "$(cat ${pidfile})" 2>/dev/null`,
      `tmux -L ${TMUX_SOCKET} kill-session -t ${terminalId} 2>/dev/null`,
      `rm -f ${pidfile} ${SCREEN_DIR_SH}/${terminalId}`,
      'true',
    ].join('; '),
  ];
}

/** One shell word, whatever it holds. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
