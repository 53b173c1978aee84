import { describe, expect, it } from 'vitest';
import { SolutionTypist } from '../../../sandbox-server/src/solutions/solution-runner.ts';
import { TerminalSession } from '../../../sandbox-server/src/terminal/terminal-session.ts';
import { FakeTty } from '../terminal/fake-tty.ts';

const ESC = '\x1b';
const CURSOR_QUERY = `${ESC}[6n`;
const CURSOR_REPORT = new RegExp(`${ESC}\\[\\d+;\\d+R`);
const DETACH = '\x10\x11';

/**
 * A shell running something like busybox under `docker attach`: it draws its prompt, and only
 * a moment later asks the terminal where the cursor is; C-p C-q detaches back to the shell.
 */
function attachedBusybox(queryDelayMs: number) {
  const tty = new FakeTty();
  const term = new TerminalSession('verify', tty, { cols: 80, rows: 24 });
  const typed = () => Buffer.concat(tty.written).toString('latin1');
  const write = tty.write.bind(tty);
  tty.write = (data) => {
    write(data);
    if (typed().endsWith(DETACH)) tty.emit('read escape sequence\r\n[hs 1 0]\r\n$ ');
  };
  tty.emit('/ # ');
  setTimeout(() => tty.emit(CURSOR_QUERY), queryDelayMs);
  return { term, typed };
}

describe('SolutionTypist', () => {
  it('lets a program that just drew its prompt get its terminal answer before typing on', async () => {
    const { term, typed } = attachedBusybox(40);
    const typist = new SolutionTypist(term);
    await typist.run([{ expect: '/ # ' }, { keys: 'C-p C-q' }]);
    // The screen answered the query (no browser is attached), and before the detach keys.
    const cursorReport = typed().search(CURSOR_REPORT);
    expect(cursorReport).toBeGreaterThanOrEqual(0);
    expect(cursorReport).toBeLessThan(typed().indexOf(DETACH));
    await term.close();
  });
});
