import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Called with each line of stdout/stderr, for progress output. */
  onLine?: (line: string) => void;
}

/** A host command failed: the message names it and ends with its last output lines. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly code: number | null,
    readonly tail: string,
  ) {
    super(`\`${command}\` exited with ${code ?? 'a signal'}.\n${tail}`.trimEnd());
  }
}

/**
 * Runs a host tool (debootstrap, apt-get, dpkg-scanpackages, tar) and resolves with its
 * stdout. Output is kept in memory, so use it for tools whose output is small or wanted.
 *
 * @example
 * const list = await runCommand('busybox', ['--list']);
 */
export function runCommand(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      signal: opts.signal,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let tail: string[] = [];
    const keepTail = (chunk: Buffer) => {
      const lines = chunk.toString('utf8').split('\n').filter(Boolean);
      for (const line of lines) opts.onLine?.(line);
      // Only the last lines matter in an error message; keep memory bounded.
      tail = tail.concat(lines).slice(-15);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      if (opts.onLine) keepTail(chunk);
    });
    child.stderr.on('data', keepTail);
    child.on('error', (error) => {
      const hint =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? ` (is ${cmd} installed?)` : '';
      reject(new Error(`Could not run ${cmd}${hint}: ${error.message}`));
    });
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new CommandError([cmd, ...args].join(' '), code, tail.join('\n')));
    });
  });
}
