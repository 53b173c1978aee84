/**
 * The terminal bridge's in-process API: what `handson verify`, checks and routes import.
 * Wire messages live in `../contracts/terminal-protocol.ts`.
 */
export { execTty } from '../sandbox/dind/exec-tty.ts';
export { ptyTty } from '../sandbox/host/pty-tty.ts';
export {
  HISTORY_DIR,
  SCREEN_DIR,
  type ShellHolder,
  shellCommand,
  shellEnvironment,
  TMUX_SOCKET,
} from '../sandbox/shell-command.ts';
export { type OpenTerminalOptions, openTerminal } from './open-terminal.ts';
export {
  type Attachment,
  type TerminalClient,
  TerminalSession,
  type WaitForOptions,
} from './terminal-session.ts';
