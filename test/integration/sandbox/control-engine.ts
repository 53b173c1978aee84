import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import Docker from 'dockerode';

/**
 * A throwaway Docker engine WITHOUT user-namespace remapping, for the escape battery's positive
 * controls: the same probe must succeed in a plain CAP_SYS_ADMIN container there, or the probe
 * proves nothing. Own socket, data root, exec root, containerd namespace and no bridge, all
 * under /tmp; torn down (and its files removed) by `stop()`.
 */
export interface ControlEngine {
  docker: Docker;
  /** Run `script` in a busybox container with the given extra HostConfig; resolves with its output. */
  probe(script: string, host?: Docker.HostConfig): Promise<string>;
  stop(): Promise<void>;
}

export async function startControlEngine(
  busyboxTar: NodeJS.ReadableStream,
): Promise<ControlEngine> {
  const root = `/tmp/handson-control-${process.pid}`;
  mkdirSync(root, { recursive: true });
  const socket = `${root}/docker.sock`;
  const daemon: ChildProcess = spawn(
    'dockerd',
    [
      '-H',
      `unix://${socket}`,
      '--data-root',
      `${root}/data`,
      '--exec-root',
      `${root}/exec`,
      '--pidfile',
      `${root}/dockerd.pid`,
      '--bridge',
      'none',
      '--iptables=false',
      '--ip-masq=false',
      '--cgroup-parent',
      'handson-control',
      '--containerd-namespace',
      'handson-control',
      '--containerd-plugins-namespace',
      'handson-control-plugins',
    ],
    { stdio: 'ignore' },
  );
  const docker = new Docker({ socketPath: socket });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (daemon.exitCode !== null)
      throw new Error(`the control dockerd exited (${daemon.exitCode})`);
    if (
      await docker.ping().then(
        () => true,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error('the control dockerd did not answer within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  await docker.loadImage(busyboxTar);

  return {
    docker,
    async probe(script, host = {}) {
      const container = await docker.createContainer({
        Image: 'busybox:latest',
        Cmd: ['sh', '-c', script],
        HostConfig: { NetworkMode: 'none', CapAdd: ['SYS_ADMIN'], ...host },
      });
      await container.start();
      await container.wait();
      const logs = (await container.logs({ stdout: true, stderr: true })) as Buffer;
      await container.remove({ force: true });
      // Strip the 8-byte multiplexing headers of each frame.
      let out = '';
      for (let i = 0; i + 8 <= logs.length; ) {
        const size = logs.readUInt32BE(i + 4);
        out += logs.subarray(i + 8, i + 8 + size).toString('utf8');
        i += 8 + size;
      }
      return out;
    },
    async stop() {
      for (const c of await docker.listContainers({ all: true })) {
        await docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined);
      }
      daemon.kill('SIGTERM');
      await new Promise((resolve) => {
        if (daemon.exitCode !== null) resolve(undefined);
        else daemon.once('exit', resolve);
      });
      // Overlay mounts under the data root must go before the files can.
      try {
        execFileSync('sh', [
          '-c',
          `grep -o " ${root}[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`,
        ]);
      } catch {
        // Nothing mounted.
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
