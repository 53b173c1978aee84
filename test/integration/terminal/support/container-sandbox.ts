import { chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { LABELS, loadConfig } from '../../../../sandbox-server/src/config.ts';
import {
  HOST_DIR_IN_SANDBOX,
  SANDBOX_IMAGE,
} from '../../../../sandbox-server/src/sandbox/dind/profile.ts';
import { remappedRoot } from '../../../../sandbox-server/src/sandbox/dind/remap.ts';
import { socketTty } from '../../../../sandbox-server/src/sandbox/dind/socket-tty.ts';
import type { ExecResult, Sandbox } from '../../../../sandbox-server/src/sandbox/driver.ts';
import { WORKSPACE } from '../../../../sandbox-server/src/sandbox/driver.ts';
import { SCREEN_DIR } from '../../../../sandbox-server/src/sandbox/shell-command.ts';

/**
 * A stand-in sandbox for the terminal tests: one plain container of the real sandbox image
 * (bash and tmux as learners get them) on the project's engine, without its inner dockerd,
 * with the dind driver's own TTY (socat on a socket in a host folder mounted at /handson).
 * Only `exec` and `openTty` are real; the rest is not needed here.
 */

export const TEST_IMAGE = SANDBOX_IMAGE;

export function engine(): Docker {
  return new Docker({ socketPath: loadConfig().engine.socket });
}

export async function startContainerSandbox(
  docker: Docker,
  sessionId: string,
): Promise<Sandbox & { container: Docker.Container; hostDir: string; destroy(): Promise<void> }> {
  const hostDir = await mkdtemp(path.join(os.tmpdir(), 'handson-terminal-test-'));
  // The container's root is the engine's remapped uid; socat creates the terminal sockets here.
  const owner = await remappedRoot();
  await chown(hostDir, owner.uid, owner.gid);
  const container = await docker.createContainer({
    Image: TEST_IMAGE,
    // Only the shell matters here: no init, no inner engine.
    Entrypoint: ['sleep'],
    Cmd: ['infinity'],
    WorkingDir: WORKSPACE,
    Labels: {
      [LABELS.managed]: 'true',
      [LABELS.kind]: 'terminal-test',
      [LABELS.session]: sessionId,
    },
    HostConfig: {
      NetworkMode: 'none',
      AutoRemove: false,
      Binds: [`${hostDir}:${HOST_DIR_IN_SANDBOX}`],
    },
  });
  await container.start();
  const exec = async (
    cmd: string[],
    opts: { stdin?: string | Buffer } = {},
  ): Promise<ExecResult> => {
    const e = await container.exec({
      Cmd: cmd,
      AttachStdout: true,
      AttachStderr: true,
      AttachStdin: opts.stdin !== undefined,
      WorkingDir: WORKSPACE,
    });
    const stream = await e.start({ hijack: true, stdin: opts.stdin !== undefined });
    const out = new PassThrough();
    const err = new PassThrough();
    const chunks: Buffer[] = [];
    const errChunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    err.on('data', (c: Buffer) => errChunks.push(c));
    container.modem.demuxStream(stream, out, err);
    if (opts.stdin !== undefined) stream.end(opts.stdin);
    await new Promise((r) => stream.on('end', r));
    const info = await e.inspect();
    return {
      exitCode: info.ExitCode ?? 255,
      stdout: Buffer.concat(chunks).toString('utf8'),
      stderr: Buffer.concat(errChunks).toString('utf8'),
    };
  };
  const unsupported = () => Promise.reject(new Error('not part of the terminal test sandbox'));
  return {
    container,
    hostDir,
    id: container.id,
    sessionId,
    driver: 'dind',
    exec,
    openTty: (opts) => socketTty(container, hostDir, { ...opts, workingDir: WORKSPACE }),
    readHistory: unsupported,
    saveScreen: async (terminalId, screen) => {
      // No quota disk mounted on the host here: the file goes in through an exec.
      const file = `${SCREEN_DIR}/${terminalId}`;
      await exec(['sh', '-c', `cat > ${file}.tmp && mv ${file}.tmp ${file}`], { stdin: screen });
    },
    readFile: unsupported,
    writeFile: unsupported,
    engine: () => docker,
    connect: unsupported,
    ready: async () => undefined,
    destroy: async () => {
      await container.remove({ force: true }).catch(() => undefined);
      await rm(hostDir, { recursive: true, force: true });
    },
  };
}
