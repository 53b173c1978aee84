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
    answerSync(tty, String(data), 2);
  };
  tty.emit('/ # ');
  setTimeout(() => tty.emit(CURSOR_QUERY), queryDelayMs);
  return { term, typed };
}

const SYNC = / printf '\[hs-sync %s\]\\n' (\w+)\r$/;

/** The shell running the runner's sync command: its echo, its output, then prompt `n`'s marker. */
function answerSync(tty: FakeTty, data: string, n: number): boolean {
  const sync = SYNC.exec(data);
  if (!sync) return false;
  tty.emit(`${data.replace('\r', '')}\r\n[hs-sync ${sync[1]}]\r\n\r\n[hs ${n} 0]\r\n$ `);
  return true;
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

  it('counts the prompts right when a command typed ahead prints its marker after the last write', async () => {
    const tty = new FakeTty();
    const term = new TerminalSession('verify', tty, { cols: 80, rows: 24 });
    let prompts = 0;
    const write = tty.write.bind(tty);
    tty.write = (data) => {
      write(data);
      const line = String(data);
      if (answerSync(tty, line, ++prompts)) return;
      // `sleep 1` is still running when `echo two` is typed: its marker comes after that write,
      // then `two` and the second command's marker.
      if (line === 'echo two\r') tty.emit('echo two\r\n[hs 1 0]\r\n$ two\r\n\r\n[hs 2 0]\r\n$ ');
      if (line === 'true\r') tty.emit(`true\r\n\r\n[hs ${prompts} 0]\r\n$ `);
    };
    tty.emit('$ ');
    const typist = new SolutionTypist(term);
    await typist.run([{ type: 'sleep 1' }, { type: 'echo two' }, { expect: 'two' }]);
    // Both commands and the sync command: three prompts, not the one whose marker came first.
    expect(typist.prompts).toBe(3);
    await typist.run('true');
    expect(typist.prompts).toBe(4);
    await term.close();
  });
});
