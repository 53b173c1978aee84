import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';

/**
 * Killing what an Engine API exec started. An exec'd process does not die when its stream
 * closes, and on this engine exec inspect reports Pid 0 (runc in a user namespace), so the host
 * cannot signal it. Instead every exec runs under a one-line wrapper that records its pid in the
 * sandbox's /run, and a second exec kills from inside when needed: the whole session for TTYs
 * (a session leader's shell and all its jobs), the process tree otherwise.
 */

export interface Recorded {
  cmd: string[];
  pidFile: string;
}

/**
 * Wrap `cmd` so the wrapper's pid lands in a fresh file under /run; the wrapper waits for the
 * program and removes the file itself (no second exec to clean up), keeping its exit status.
 *
 * @example
 * const { cmd, pidFile } = recordPid(['sleep', '30']);
 */
export function recordPid(cmd: string[]): Recorded {
  const pidFile = `/run/handson-exec-${randomBytes(6).toString('hex')}`;
  return {
    cmd: [
      'sh',
      '-c',
      `echo $$ > ${pidFile}; "$@"; rc=$?; rm -f ${pidFile}; exit $rc`,
      'handson-exec',
      ...cmd,
    ],
    pidFile,
  };
}

/**
 * Shell that kills the process whose pid is in `pidFile` (a shell word, e.g. `"$1"`), its
 * children first.
 */
export function killTreeScript(pidFile: string): string {
  return `tree() { for c in $(pgrep -P "$1"); do tree "$c"; done; kill -KILL "$1" 2>/dev/null; }; tree "$(cat ${pidFile})"`;
}

/** Kill what `recordPid` started (no-op when it already ended), then forget the pid file. */
export async function killRecorded(
  container: Docker.Container,
  pidFile: string,
  scope: 'tree' | 'session',
): Promise<void> {
  const kill = scope === 'session' ? 'pkill -KILL -s "$(cat "$1")"' : killTreeScript('"$1"');
  await runScript(container, `[ -s "$1" ] && { ${kill}; }; rm -f "$1"`, [pidFile]);
}

/** Run a short `sh` script in the sandbox (its arguments are $1…) and wait for it to end. */
export async function runScript(
  container: Docker.Container,
  script: string,
  args: string[],
): Promise<void> {
  const exec = await container.exec({
    Cmd: ['sh', '-c', script, 'handson-kill', ...args],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  await new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
    stream.resume();
  });
}
