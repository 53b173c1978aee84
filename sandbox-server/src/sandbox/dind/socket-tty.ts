import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import path from 'node:path';
import type Docker from 'dockerode';
import type { TerminalOptions, TtyProcess } from '../driver.ts';
import { shellQuote } from '../shell-command.ts';
import { ControlChannel } from './control-channel.ts';
import { exitCodeOf } from './exec-tty.ts';
import { killRecorded, killTreeScript, runScript } from './kill.ts';
import { connectNoFollow } from './no-follow-agent.ts';
import { HOST_DIR_IN_SANDBOX } from './profile.ts';

/**
 * A terminal whose bytes do not pass through the sandbox engine. An Engine API exec's TTY
 * stream goes server → dockerd → containerd-shim → pty and back, which is where the time of a
 * keystroke's echo and most of a flood's CPU went. Here one exec (so the usual profile:
 * namespaces, cgroup, seccomp, capabilities) starts `socat` in the sandbox; socat listens on a
 * socket in the sandbox's host folder and, once the server connects, runs the program on a pty
 * it owns. The server then talks to the pty through that socket only.
 *
 * - The folder is the learner's, so the socket is opened the no-follow way (a symlink there
 *   never leads the server elsewhere), like the inner engine's socket.
 * - The size is set by `stty` before the program starts, so it never sees a 0×0 TTY, and later
 *   by `stty` on the shell's TTY in a side exec (TIOCSWINSZ also sends the SIGWINCH).
 * - The wrapper records the shell's pid (it is a session leader: socat's `setsid`), so kill
 *   ends the whole session, and exits with the program's status, which exec inspect reports.
 */

/**
 * How long the server waits for socat's sockets before the terminal counts as failed. The wait
 * starts once the start's turn in the queue has come (shared-by-sandboxes.ts).
 */
const START_TIMEOUT_MS = 15_000;
/** socat gives up listening after this long, so a server that never connects leaves nothing. */
const ACCEPT_TIMEOUT_S = 30;
/** The exit status when the program left no status (it was killed, or never ran). */
const NO_STATUS = 129;
const RESIZE_TIMEOUT_MS = 10_000;

// $0: the terminal's run folder in the sandbox, $1: the TTY's socket, $2: the control socket.
// The scripts arrive in the environment (no quoting through socat's address syntax), and the
// shell must not inherit them.
const WRAPPER = [
  // A folder already there: the server gave up on this start before it ran (ABANDON).
  'mkdir -m 700 "$0" || { rmdir "$0" 2>/dev/null; exit 125; }',
  // For a server that gave up waiting: it kills this tree (socat's listeners included).
  'echo $$ > "$0/wrapper"',
  'printf "%s\n" "$HANDSON_TTY_SCRIPT" > "$0/run"',
  'printf "%s\n" "$HANDSON_TTY_CONTROL" > "$0/control"',
  'unset HANDSON_TTY_SCRIPT HANDSON_TTY_CONTROL',
  `listen="perm=0600,unlink-early,unlink-close,accept-timeout=${ACCEPT_TIMEOUT_S}"`,
  'socat UNIX-LISTEN:"$2,$listen" EXEC:"sh $0/control" & control=$!',
  'socat UNIX-LISTEN:"$1,$listen" EXEC:"sh $0/run",pty,setsid,ctty,stderr',
  'kill "$control" 2>/dev/null',
  // Jobs the shell left behind (nohup, disown) end with it, as with any closed terminal here.
  '[ -s "$0/pid" ] && pkill -KILL -s "$(cat "$0/pid")"',
  'rc=$(cat "$0/rc" 2>/dev/null)',
  'rm -rf "$0"',
  `exit "\${rc:-${NO_STATUS}}"`,
].join('\n');

// Run by a server that stopped waiting for a start ($1: the run folder, $2 and $3: the
// sockets). A wrapper that has not run yet finds its folder taken and stops at once; one that
// runs is killed with its listeners, which cannot unlink their sockets when killed.
const ABANDON = [
  'mkdir "$1" 2>/dev/null && exit 0',
  'i=0; while [ ! -s "$1/wrapper" ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i+1)); done',
  `[ -s "$1/wrapper" ] && { ${killTreeScript('"$1/wrapper"')}; }`,
  'rm -rf "$1" "$2" "$3"',
].join('\n');

// The control channel: one "<cols> <rows>" line per resize, answered "ok" or "fail" once the
// TTY has the size (stty's TIOCSWINSZ also sends the SIGWINCH). It waits for the shell's TTY.
const CONTROL = [
  'd=$(dirname "$0")',
  'i=0; while [ ! -s "$d/tty" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done',
  'while read -r c r; do stty cols "$c" rows "$r" < "$(cat "$d/tty")" 2>/dev/null && echo ok || echo fail; done',
].join('\n');

/** The script socat runs on the pty: record the session, size the TTY, run, keep the status. */
function programScript(cmd: string[], cols: number, rows: number): string {
  return [
    'd=$(dirname "$0")',
    `stty cols ${cols} rows ${rows} 2>/dev/null`,
    'tty > "$d/tty"',
    'echo $$ > "$d/pid"',
    cmd.map(shellQuote).join(' '),
    'echo $? > "$d/rc"',
  ].join('\n');
}

/**
 * Start `opts.cmd` (default a login bash) on a TTY in the sandbox, reached over a socket in
 * `hostDir` (the sandbox's `/handson`).
 *
 * @example
 * const tty = await socketTty(container, hostDir, { cols: 80, rows: 24, workingDir: '/root/work' });
 * tty.onData((b) => process.stdout.write(b));
 * tty.write('echo hi\r');
 */
export async function socketTty(
  container: Docker.Container,
  hostDir: string,
  opts: TerminalOptions & {
    workingDir?: string;
    startTimeoutMs?: number;
    /** Stop waiting for the start (its caller left): what runs in the sandbox is ended. */
    signal?: AbortSignal;
  },
): Promise<TtyProcess> {
  opts.signal?.throwIfAborted();
  const id = randomBytes(8).toString('hex');
  const ttySocket = `tty-${id}.sock`;
  const controlSocket = `tty-${id}.control.sock`;
  const runDir = `/run/handson-tty-${id}`;
  const pidFile = `${runDir}/pid`;
  const env = {
    ...opts.env,
    HANDSON_TTY_SCRIPT: programScript(opts.cmd ?? ['bash', '-l'], opts.cols, opts.rows),
    HANDSON_TTY_CONTROL: CONTROL,
  };
  const exec = await container.exec({
    Cmd: [
      'sh',
      '-c',
      WRAPPER,
      runDir,
      `${HOST_DIR_IN_SANDBOX}/${ttySocket}`,
      `${HOST_DIR_IN_SANDBOX}/${controlSocket}`,
    ],
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    WorkingDir: opts.workingDir,
    AttachStdout: true,
    AttachStderr: true,
  });
  const wrapper = await exec.start({ hijack: true, stdin: false });
  // The wrapper prints only when something is wrong (socat's errors): keep the end for the error.
  let said = '';
  wrapper.on('data', (chunk: Buffer) => {
    said = (said + chunk.toString('utf8')).slice(-2000);
  });
  let wrapperDone = false;
  const wrapperEnded = new Promise<void>((resolve) => {
    const done = () => {
      wrapperDone = true;
      resolve();
    };
    wrapper.once('end', done);
    wrapper.once('close', done);
    wrapper.once('error', done);
  });

  const { control, socket } = await connectBoth(
    path.join(hostDir, controlSocket),
    path.join(hostDir, ttySocket),
    () => wrapperDone,
    Date.now() + (opts.startTimeoutMs ?? START_TIMEOUT_MS),
    opts.signal,
  ).catch((err: Error) => {
    wrapper.destroy();
    // Late under load, the listeners may still come up: they must not wait for a server that
    // left (socat's accept-timeout is the backstop). Not awaited: the learner hears now.
    if (!wrapperDone) {
      const sockets = [ttySocket, controlSocket].map((s) => `${HOST_DIR_IN_SANDBOX}/${s}`);
      void runScript(container, ABANDON, [runDir, ...sockets]).catch(() => undefined);
    }
    // Printable part of the wrapper's output (the stream is multiplexed: 8-byte frame headers).
    const detail = said.replace(/[^\x20-\x7e\n]/g, '').trim();
    throw new Error(`the terminal did not start: ${detail || err.message}`);
  });
  const resizer = new ControlChannel(control, RESIZE_TIMEOUT_MS);

  const exitListeners = new Set<(code: number) => void>();
  let exitCode: number | undefined;
  const ended = async () => {
    if (exitCode !== undefined) return;
    control.destroy();
    await Promise.race([wrapperEnded, new Promise((r) => setTimeout(r, 5000))]);
    exitCode ??= await exitCodeOf(exec);
    for (const listener of exitListeners) listener(exitCode);
  };
  socket.once('close', () => void ended());
  socket.on('error', () => undefined); // 'close' follows and reports the exit.

  return {
    write: (data) => {
      if (exitCode === undefined && !socket.destroyed) socket.write(data);
    },
    resize: (cols, rows) => resizer.resize(cols, rows),
    onData: (listener) => socket.on('data', listener),
    onExit: (listener) => {
      if (exitCode !== undefined) listener(exitCode);
      else exitListeners.add(listener);
    },
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    kill: async () => {
      if (exitCode === undefined) {
        await killRecorded(container, pidFile, 'session').catch(() => undefined);
      }
      socket.destroy();
    },
  };
}

/**
 * The control socket first (the program starts as soon as the TTY's socket is connected), then
 * the TTY's. On failure nothing stays open here (the caller ends what runs in the sandbox).
 */
async function connectBoth(
  controlPath: string,
  ttyPath: string,
  gaveUp: () => boolean,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<{ control: Socket; socket: Socket }> {
  const control = await connectWhenListening(controlPath, gaveUp, deadline, signal);
  let socket: Socket | undefined;
  try {
    socket = await connectWhenListening(ttyPath, gaveUp, deadline, signal);
    // Left while the last connect was under way: the shell started for no one.
    signal?.throwIfAborted();
    return { control, socket };
  } catch (err) {
    control.destroy();
    socket?.destroy();
    throw err;
  }
}

/** Connect once socat listens; fails when the wrapper ended, the time is up or the caller left. */
async function connectWhenListening(
  socketPath: string,
  gaveUp: () => boolean,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<Socket> {
  // Soon at first (a start takes a few tens of ms), then less often on a busy machine.
  let pause = 5;
  for (;;) {
    signal?.throwIfAborted();
    try {
      return await connectOnce(socketPath);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Not there yet (ENOENT), bound but not yet listening (ECONNREFUSED).
      const early = code === 'ENOENT' || code === 'ECONNREFUSED';
      if (!early || gaveUp() || Date.now() > deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(50, pause * 2);
  }
}

function connectOnce(socketPath: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    let socket: Socket;
    try {
      socket = connectNoFollow(socketPath, 'the terminal socket');
    } catch (err) {
      reject(err);
      return;
    }
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
