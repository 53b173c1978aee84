import { type Duplex, PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { ExecOptions, ExecResult } from '../driver.ts';
import { WORKSPACE } from '../driver.ts';
import { tooLargeError } from './bounded-socket.ts';
import { killRecorded, recordPid } from './kill.ts';

/** What a command may print (stdout and stderr together) unless the caller says otherwise. */
export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 2 ** 20;

/** Call `onOver` once when `stream` has carried more than `max` bytes. */
function watchOutput(stream: Duplex, max: number, onOver: () => void): void {
  let seen = 0;
  const count = (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > max) {
      stream.off('data', count);
      onOver();
    }
  };
  stream.on('data', count);
}

/**
 * Run a command in a container through the Engine API and collect its demultiplexed stdout and
 * stderr and its exit code. A timeout, an aborted signal or more output than `maxOutputBytes`
 * (the learner's programs may print without end) kills the process (by its host pid: an exec'd
 * process does not die when its stream closes) and rejects.
 *
 * @example
 * const { exitCode, stdout } = await execIn(container, ['docker', 'ps', '-q'], { timeoutMs: 5000 });
 */
export async function execIn(
  container: Docker.Container,
  cmd: string[],
  opts: ExecOptions = {},
): Promise<ExecResult> {
  opts.signal?.throwIfAborted();
  const recorded = recordPid(cmd);
  const exec = await container.exec({
    Cmd: recorded.cmd,
    Env: Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
    WorkingDir: opts.cwd ?? WORKSPACE,
    AttachStdin: opts.stdin !== undefined,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const stream = await exec.start({ hijack: true, stdin: opts.stdin !== undefined });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const out = new PassThrough().on('data', (c: Buffer) => stdout.push(c));
  const err = new PassThrough().on('data', (c: Buffer) => stderr.push(c));
  container.modem.demuxStream(stream, out, err);
  if (opts.stdin !== undefined) stream.end(opts.stdin);

  let stop: ((reason: Error) => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  const kill = async (reason: Error) => {
    stop?.(reason);
    await killRecorded(container, recorded.pidFile, 'tree').catch(() => undefined);
    stream.destroy();
  };
  const timer =
    opts.timeoutMs === undefined
      ? undefined
      : setTimeout(
          () =>
            void kill(new Error(`\`${cmd.join(' ')}\` did not finish within ${opts.timeoutMs} ms`)),
          opts.timeoutMs,
        );
  const onAbort = () => void kill(new Error(`\`${cmd.join(' ')}\` was cancelled`));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const maxOutput = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  watchOutput(stream, maxOutput, () => {
    const error = tooLargeError(`\`${cmd.join(' ')}\``, maxOutput);
    error.message = `${error.message} of output and was stopped`;
    void kill(error);
  });
  try {
    await Promise.race([
      new Promise<void>((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', reject);
      }),
      stopped,
    ]);
    const exitCode = await exitCodeOf(exec);
    return {
      exitCode,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
    };
  } finally {
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Like execIn, but the raw stdout bytes (file reads). Past `maxOutputBytes` (default 16 MiB)
 * the stream is cut and the call rejects; the caller bounds what it asks for (`head -c`).
 */
export async function execBytes(
  container: Docker.Container,
  cmd: string[],
  opts: ExecOptions = {},
): Promise<{ exitCode: number; stdout: Buffer; stderr: string }> {
  opts.signal?.throwIfAborted();
  const exec = await container.exec({
    Cmd: cmd,
    WorkingDir: opts.cwd ?? WORKSPACE,
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  container.modem.demuxStream(
    stream,
    new PassThrough().on('data', (c: Buffer) => stdout.push(c)),
    new PassThrough().on('data', (c: Buffer) => stderr.push(c)),
  );
  const maxOutput = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  await new Promise<void>((resolve, reject) => {
    watchOutput(stream, maxOutput, () => {
      reject(tooLargeError(`\`${cmd.join(' ')}\``, maxOutput));
      stream.destroy();
    });
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  return {
    exitCode: await exitCodeOf(exec),
    stdout: Buffer.concat(stdout),
    stderr: Buffer.concat(stderr).toString('utf8'),
  };
}

async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  // The stream can end a moment before the engine records the exit code.
  for (let i = 0; i < 40; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the engine did not report an exit code for the exec');
}
