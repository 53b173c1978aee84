import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { LABELS, loadConfig } from '../../../../sandbox-server/src/config.ts';
import type { ExecResult, Sandbox } from '../../../../sandbox-server/src/sandbox/driver.ts';
import { WORKSPACE } from '../../../../sandbox-server/src/sandbox/driver.ts';
import { execTty } from '../../../../sandbox-server/src/terminal/exec-tty.ts';

/**
 * A stand-in sandbox for the terminal tests: one plain container on the project's engine
 * (from a tiny image built out of this host's bash, tmux and coreutils), with the real Engine
 * API exec TTY. Only `exec` and `openTty` are real; the rest is not needed here.
 */

export const TEST_IMAGE = 'handson-terminal-test:2';
const here = path.dirname(new URL(import.meta.url).pathname);

export function engine(): Docker {
  return new Docker({ socketPath: loadConfig().engine.socket });
}

export async function ensureTestImage(docker: Docker): Promise<void> {
  const found = await docker
    .getImage(TEST_IMAGE)
    .inspect()
    .catch(() => undefined);
  if (found) return;
  const dir = `/tmp/handson-terminal-rootfs-${process.pid}`;
  const built = spawnSync(path.join(here, 'build-rootfs.sh'), [dir], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building the test rootfs failed: ${built.stderr}`);
  const tar = spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [repo, tag] = TEST_IMAGE.split(':');
  const progress = await docker.importImage(tar.stdout as unknown as string, { repo, tag });
  await new Promise((resolve, reject) =>
    docker.modem.followProgress(progress, (err) => (err ? reject(err) : resolve(undefined))),
  );
  spawnSync('rm', ['-rf', dir]);
}

export async function startContainerSandbox(
  docker: Docker,
  sessionId: string,
): Promise<Sandbox & { destroy(): Promise<void> }> {
  await ensureTestImage(docker);
  const container = await docker.createContainer({
    Image: TEST_IMAGE,
    Cmd: ['sleep', 'infinity'],
    WorkingDir: WORKSPACE,
    Labels: {
      [LABELS.managed]: 'true',
      [LABELS.kind]: 'terminal-test',
      [LABELS.session]: sessionId,
    },
    HostConfig: { NetworkMode: 'none', AutoRemove: false },
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
    id: container.id,
    sessionId,
    driver: 'dind',
    exec,
    openTty: (opts) => execTty(container, { ...opts, workingDir: WORKSPACE }),
    readFile: unsupported,
    writeFile: unsupported,
    engine: () => docker,
    connect: unsupported,
    ready: async () => undefined,
    destroy: async () => {
      await container.remove({ force: true }).catch(() => undefined);
    },
  };
}
