import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { TerminalOptions, TtyProcess } from '../driver.ts';

/** Keys that detach the engine's exec stream: never typed, so C-p C-q reaches the sandbox. */
export const EXEC_DETACH_KEYS = 'ctrl-^,ctrl-],ctrl-^,ctrl-],ctrl-^,ctrl-]';

/**
 * A `TtyProcess` over an Engine API exec with a TTY (a hijacked HTTP stream, via dockerode).
 * Drivers whose sandbox is a container can return this from `openTty`.
 *
 * An exec'd process does not die when its stream closes, so `kill()` signals it by its host
 * pid (from exec inspect): SIGHUP first (bash passes it on to its jobs), SIGKILL if it lingers.
 *
 * @example
 * const tty = await execTty(docker.getContainer(id), { cmd: ['bash'], cols: 80, rows: 24 });
 * tty.onData((b) => process.stdout.write(b));
 * tty.write('echo hi\r');
 */
export async function execTty(
  container: Docker.Container,
  opts: TerminalOptions & { workingDir?: string },
): Promise<TtyProcess> {
  const exec = await container.exec({
    Cmd: opts.cmd ?? ['bash', '-l'],
    Env: Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
    WorkingDir: opts.workingDir,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    // The engine detaches an exec on C-p C-q by default, which would swallow the learner's own
    // detach from `docker run -it` inside the sandbox and leave the terminal deaf: use a
    // sequence nobody types instead.
    DetachKeys: EXEC_DETACH_KEYS,
  });
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
  const resize = async (cols: number, rows: number) => {
    await exec.resize({ w: cols, h: rows });
  };
  // The Engine API cannot size an exec before it starts (API 1.41); size it right after.
  await resize(opts.cols, opts.rows).catch(() => undefined);

  const exitListeners = new Set<(code: number) => void>();
  let exitCode: number | undefined;
  const ended = async () => {
    if (exitCode !== undefined) return;
    exitCode = await exitCodeOf(exec);
    for (const listener of exitListeners) listener(exitCode);
  };
  stream.once('end', () => void ended());
  stream.once('close', () => void ended());
  stream.on('error', () => void ended());

  return {
    write: (data) => {
      if (exitCode === undefined && !stream.destroyed) stream.write(data);
    },
    resize,
    onData: (listener) => stream.on('data', listener),
    onExit: (listener) => {
      if (exitCode !== undefined) listener(exitCode);
      else exitListeners.add(listener);
    },
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    kill: async () => {
      const { Pid, Running } = await exec.inspect().catch(() => ({ Pid: 0, Running: false }));
      if (Running && Pid > 0) {
        signal(Pid, 'SIGHUP');
        if (!(await exitsWithin(exec, 1000))) signal(Pid, 'SIGKILL');
      }
      stream.destroy();
    },
  };
}

/** The exit code the engine recorded for a finished exec (255 when it never says). */
export async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  // The stream can end a moment before the engine records the exit code.
  for (let i = 0; i < 20; i++) {
    const info = await exec.inspect().catch(() => undefined);
    if (!info) return 255;
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 50));
  }
  return 255;
}

async function exitsWithin(exec: Docker.Exec, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const info = await exec.inspect().catch(() => undefined);
    if (!info?.Running) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}
