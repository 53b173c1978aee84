import { describe, expect, it } from 'vitest';
import type { ProseRun } from '../../../sandbox-server/src/lessons/run-commands.ts';
import { TerminalSession } from '../../../sandbox-server/src/terminal/terminal-session.ts';
import { ProseTypist } from '../../../sandbox-server/src/verify/prose-typist.ts';
import { FakeTty } from '../terminal/fake-tty.ts';

const DETACH = '\x10\x11';

/**
 * A shell with the verify marker: `false` fails, `sleep` never returns, `docker run -it box`
 * enters a container shell (no markers) that C-p C-q or `exit` leaves.
 */
function fakeShell() {
  const tty = new FakeTty();
  const term = new TerminalSession('verify', tty, { cols: 80, rows: 24 });
  let prompts = 0;
  let inside = false;
  const prompt = (status: number) => {
    prompts += 1;
    tty.emit(`\r\n[hs ${prompts} ${status}]\r\n$ `);
  };
  const write = tty.write.bind(tty);
  tty.write = (data) => {
    write(data);
    const text = Buffer.from(data).toString('latin1');
    setTimeout(() => {
      if (text === DETACH && inside) {
        inside = false;
        prompt(0);
        return;
      }
      const line = text.replace(/\r$/, '');
      tty.emit(`${line}\r\n`);
      if (inside) {
        if (line === 'exit') {
          inside = false;
          prompt(0);
        } else tty.emit('root@box:/# ');
      } else if (line === 'docker run -it box') {
        inside = true;
        tty.emit('root@box:/# ');
      } else if (line !== 'sleep 600') prompt(line === 'false' ? 1 : 0);
    }, 5);
  };
  return { term, typed: () => Buffer.concat(tty.written).toString('latin1') };
}

const run = (fields: Partial<ProseRun>): ProseRun => ({
  fails: false,
  localized: false,
  line: 1,
  ...fields,
});

describe('ProseTypist', () => {
  it('waits for each command and reports a status the prose did not mean', async () => {
    const { term } = fakeShell();
    const typist = new ProseTypist(term, 0, { commandTimeoutS: 5 });
    expect(await typist.type(run({ command: 'docker ps' }))).toBeUndefined();
    expect(await typist.type(run({ command: 'false' }))).toMatch(
      /^`false` exited with status 1 \(mark the <Run> `fails`/,
    );
    expect(await typist.type(run({ command: 'false', fails: true }))).toBeUndefined();
    expect(await typist.type(run({ command: 'true', fails: true }))).toBe(
      '`true` is marked `fails` but exited with status 0',
    );
    await typist.endOfStep();
    await term.close();
  });

  it('goes into an interactive program, types there, leaves with keys, and stays in step', async () => {
    const { term, typed } = fakeShell();
    const typist = new ProseTypist(term, 0, { commandTimeoutS: 5 });
    await typist.type(run({ command: 'docker run -it box', expect: 'root@box' }));
    await typist.type(run({ command: 'echo inside' }));
    await typist.type(run({ keys: 'C-p C-q' }));
    await typist.endOfStep();
    // Back at the shell, a failing command is still seen for what it is.
    expect(await typist.type(run({ command: 'false' }))).toMatch(/exited with status 1/);
    expect(typed()).toBe(`docker run -it box\recho inside\r${DETACH}false\r`);
    await term.close();
  });

  it('follows a program that ends on a typed command (exit)', async () => {
    const { term } = fakeShell();
    const typist = new ProseTypist(term, 0, { commandTimeoutS: 5 });
    await typist.type(run({ command: 'docker run -it box', expect: 'root@box' }));
    await typist.type(run({ command: 'exit' }));
    expect(await typist.type(run({ command: 'false' }))).toMatch(/exited with status 1/);
    await term.close();
  });

  it('fails a step whose prose leaves the learner inside a program', async () => {
    const { term } = fakeShell();
    const typist = new ProseTypist(term, 0, { commandTimeoutS: 1 });
    await typist.type(run({ command: 'docker run -it box', expect: 'root@box' }));
    await expect(typist.endOfStep()).rejects.toThrow(/prompt did not come back/);
    await term.close();
  });

  it('says a command that never returns needs expect', async () => {
    const { term } = fakeShell();
    const typist = new ProseTypist(term, 0, { commandTimeoutS: 1 });
    await expect(typist.type(run({ command: 'sleep 600' }))).rejects.toThrow(
      /`sleep 600` did not finish within 1 s \(a Run that starts an interactive program needs expect=/,
    );
    await term.close();
  });

  it("gives a slow command the Run's own timeout instead of the command timeout", async () => {
    const { term } = fakeShell();
    const typist = new ProseTypist(term, 0, { commandTimeoutS: 600 });
    await expect(typist.type(run({ command: 'sleep 600', timeoutS: 1 }))).rejects.toThrow(
      /`sleep 600` did not finish within 1 s/,
    );
    await term.close();
  });

  it('names the regex the screen never showed', async () => {
    const { term } = fakeShell();
    const typist = new ProseTypist(term, 0, { commandTimeoutS: 1 });
    await expect(
      typist.type(run({ command: 'docker run -it box', expect: 'root@elsewhere', timeoutS: 1 })),
    ).rejects.toThrow(/after `docker run -it box` the screen never showed \/root@elsewhere\//);
    await term.close();
  });
});
