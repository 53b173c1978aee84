import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A background process the project owns, without systemd: started detached with its output
 * appended to a log file, remembered by a pidfile, recognised again (after a restart of the
 * CLI or server) by its pid *and* its command line, so a recycled pid is never mistaken for it.
 */
export interface ManagedProcessSpec {
  /** Short name used in messages, e.g. `registry (127.0.0.1:5480)`. */
  name: string;
  command: string;
  args: string[];
  pidfile: string;
  logFile: string;
  /**
   * A string that must appear in `/proc/<pid>/cmdline` for a running process to count as
   * this one (e.g. its config file path). Defaults to `command`'s base name.
   */
  signature?: string;
  /** When false the process writes its own pidfile (dockerd does); we only read it. */
  writePidfile?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** The pid recorded in `pidfile` if that process is alive and is `spec`'s program, else undefined. */
export function runningPid(spec: Pick<ManagedProcessSpec, 'pidfile' | 'signature' | 'command'>) {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(spec.pidfile, 'utf8').trim(), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  const cmdline = processCmdline(pid);
  if (cmdline === undefined) return undefined;
  const signature = spec.signature ?? path.basename(spec.command);
  return cmdline.includes(signature) ? pid : undefined;
}

/**
 * Remove `spec`'s pidfile unless it names a live process of `spec`'s program. A machine
 * restored from a snapshot keeps /run: its pidfiles name pids that a new, unrelated process may
 * now hold, and programs that test only "is that pid alive" (containerd under dockerd,
 * Postgres) would then wait for, or refuse to replace, a process that is not theirs.
 *
 * @example
 * removeStalePidfile({ pidfile: '/run/x/containerd.pid', command: 'containerd' });
 */
export function removeStalePidfile(
  spec: Pick<ManagedProcessSpec, 'pidfile' | 'signature' | 'command'>,
): boolean {
  if (!fs.existsSync(spec.pidfile) || runningPid(spec) !== undefined) return false;
  fs.rmSync(spec.pidfile, { force: true });
  return true;
}

/** A process's command line with arguments joined by spaces, or undefined when it is gone (or a zombie). */
export function processCmdline(pid: number): string | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (raw === '') return undefined; // zombies and kernel threads have none
    return raw.split('\0').filter(Boolean).join(' ');
  } catch {
    return undefined;
  }
}

/**
 * Start `spec` in the background unless it already runs; returns its pid and whether it was
 * adopted (already running) rather than started.
 *
 * @example
 * const { pid, adopted } = startManaged({ name: 'httpd', command: 'busybox',
 *   args: ['httpd', '-f', '-p', '127.0.0.1:5481'], pidfile, logFile });
 */
export function startManaged(spec: ManagedProcessSpec): { pid: number; adopted: boolean } {
  const existing = runningPid(spec);
  if (existing !== undefined) return { pid: existing, adopted: true };
  fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
  fs.mkdirSync(path.dirname(spec.pidfile), { recursive: true });
  const log = fs.openSync(spec.logFile, 'a');
  fs.writeSync(
    log,
    `\n--- ${new Date().toISOString()} handson starts ${spec.name}: ${spec.command} ${spec.args.join(' ')}\n`,
  );
  // detached + its own session: the process outlives the CLI that started it and is not hit by
  // the terminal's Ctrl-C.
  const child = spawn(spec.command, spec.args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: spec.env ?? process.env,
  });
  fs.closeSync(log);
  if (child.pid === undefined) {
    throw new Error(
      `Could not start ${spec.name} (${spec.command}): is it installed? Run \`npx handson doctor --fix\`.`,
    );
  }
  child.unref();
  if (spec.writePidfile !== false) fs.writeFileSync(spec.pidfile, `${child.pid}\n`);
  return { pid: child.pid, adopted: false };
}

/** Whether a pid still names a live (non-zombie) process. */
export function isAlive(pid: number): boolean {
  return processCmdline(pid) !== undefined;
}

/**
 * Stop the process named by `spec`'s pidfile: SIGTERM, then SIGKILL after `graceMs`.
 * Returns the pid it stopped, or undefined when nothing of ours was running.
 *
 * @example
 * const pid = await stopManaged(spec, { graceMs: 10_000 });
 */
export async function stopManaged(
  spec: Pick<ManagedProcessSpec, 'pidfile' | 'signature' | 'command'>,
  opts: { graceMs?: number } = {},
): Promise<number | undefined> {
  const pid = runningPid(spec);
  if (pid === undefined) {
    fs.rmSync(spec.pidfile, { force: true });
    return undefined;
  }
  process.kill(pid, 'SIGTERM');
  const exited = await waitFor(() => !isAlive(pid), opts.graceMs ?? 10_000);
  if (!exited) {
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isAlive(pid), 5_000);
  }
  fs.rmSync(spec.pidfile, { force: true });
  return pid;
}

/**
 * Poll `condition` every 100 ms until it holds, `timeoutMs` passes or `giveUpIf` holds;
 * resolves to whether the condition held.
 *
 * @example
 * const up = await waitFor(async () => (await fetch(url)).ok, 10_000);
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  opts: { intervalMs?: number; giveUpIf?: () => boolean } = {},
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const intervalMs = opts.intervalMs ?? 100;
  for (;;) {
    try {
      if (await condition()) return true;
    } catch {
      // not yet: a refused connection is the normal state while a service starts
    }
    // e.g. the process we wait for has exited: waiting longer cannot help.
    if (opts.giveUpIf?.()) return false;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The last `lines` lines of a log file (empty when it does not exist), for error messages. */
export function logTail(file: string, lines = 20): string {
  try {
    // Only the end of the file: engine logs grow large.
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const length = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(length);
      fs.readSync(fd, buf, 0, length, size - length);
      return buf.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}
