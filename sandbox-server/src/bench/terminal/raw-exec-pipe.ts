import type Docker from 'dockerode';
import { execTty } from '../../sandbox/dind/exec-tty.ts';
import type { TerminalPipe } from './probes.ts';

/** The baseline: an Engine API exec TTY straight into the container, no server in between. */
export async function rawExecPipe(container: Docker.Container): Promise<TerminalPipe> {
  const tty = await execTty(container, {
    cmd: ['bash', '-i'],
    cols: 200,
    rows: 50,
    env: { TERM: 'xterm-256color', LANG: 'C.UTF-8' },
    workingDir: '/root',
  });
  const listeners = new Set<(chunk: Buffer) => void>();
  tty.onData((chunk) => {
    for (const l of listeners) l(chunk);
  });
  return {
    send: (data) => tty.write(data),
    onData: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => tty.kill(),
  };
}
