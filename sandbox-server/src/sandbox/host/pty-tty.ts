import pty from 'node-pty';
import type { TerminalOptions, TtyProcess } from '../driver.ts';

/**
 * A `TtyProcess` over a local pseudo-terminal (node-pty): the `host` driver's terminals, and
 * the terminal bridge's unit tests.
 *
 * @example
 * const tty = ptyTty({ cmd: ['bash', '--norc'], cols: 80, rows: 24 });
 */
export function ptyTty(opts: TerminalOptions & { cwd?: string }): TtyProcess {
  const [file, ...args] = opts.cmd ?? [process.env.SHELL ?? 'bash', '-l'];
  const child = pty.spawn(file!, args, {
    name: 'xterm-256color',
    cols: opts.cols,
    rows: opts.rows,
    cwd: opts.cwd ?? process.cwd(),
    env: { ...process.env, ...opts.env } as Record<string, string>,
    // Raw bytes out, so a UTF-8 character split across reads is never mangled.
    encoding: null,
  });
  let exited = false;
  child.onExit(() => {
    exited = true;
  });
  return {
    write: (data) => {
      if (!exited) child.write(data);
    },
    resize: async (cols, rows) => {
      if (!exited) child.resize(cols, rows);
    },
    onData: (listener) => {
      child.onData((data) => listener(Buffer.isBuffer(data) ? data : Buffer.from(data)));
    },
    onExit: (listener) => {
      child.onExit(({ exitCode }) => listener(exitCode));
    },
    pause: () => child.pause(),
    resume: () => child.resume(),
    kill: async () => {
      if (exited) return;
      // Signal the whole process group the shell leads, so its jobs go too.
      try {
        process.kill(-child.pid, 'SIGHUP');
      } catch {
        child.kill('SIGHUP');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          if (!exited) child.kill('SIGKILL');
          resolve();
        }, 1000);
        child.onExit(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
