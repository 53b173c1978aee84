/**
 * The terminal bridge's in-process API: what `handson verify`, checks and routes import.
 * Wire messages live in `../contracts/terminal-protocol.ts`.
 */
export { execTty } from './exec-tty.ts';
export { type OpenTerminalOptions, openTerminal } from './open-terminal.ts';
export { ptyTty } from './pty-tty.ts';
export {
  HISTORY_DIR,
  SCREEN_DIR,
  type ShellHolder,
  shellCommand,
  shellEnvironment,
  TMUX_SOCKET,
} from './shell-command.ts';
export {
  type Attachment,
  type TerminalClient,
  TerminalSession,
  type WaitForOptions,
} from './terminal-session.ts';
