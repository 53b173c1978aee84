import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { connectTerminal, type TerminalConnection } from './terminal-client.ts';
import { terminalFont, terminalTheme } from './terminal-theme.ts';

/**
 * A learner's terminal as the instructor sees it: read-only (xterm takes no input and the
 * ticket is a viewer's, so the server ignores anything sent anyway), following the learner's
 * screen live.
 *
 * @example
 * const view = openShadowTerminal(host, async () => wsUrlFromReadTicket());
 * view.dispose();
 */
export function openShadowTerminal(host: HTMLElement, socketUrl: () => Promise<string>) {
  host.replaceChildren();
  const term = new Terminal({
    disableStdin: true,
    cursorBlink: false,
    fontFamily: terminalFont(document.documentElement.lang),
    fontSize: 13,
    cols: 100,
    rows: 28,
    theme: terminalTheme(matchMedia('(prefers-color-scheme: dark)').matches),
  });
  term.open(host);
  const connection: TerminalConnection = connectTerminal(term, { socketUrl, mode: 'read' });
  return {
    term,
    dispose() {
      connection.dispose();
      term.dispose();
      host.replaceChildren();
    },
  };
}
