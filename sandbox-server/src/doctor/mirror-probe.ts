import type Docker from 'dockerode';
import { gatewayAddress, type HandsonConfig, LABELS } from '../config.ts';
import { SANDBOX_IMAGE } from '../sandbox/dind/profile.ts';
import type { MirrorProbe } from './types.ts';

/**
 * Whether the registry on the gateway takes writes, asked as a sandbox would ask it: from a
 * throwaway container on the sandbox bridge, with requests that change nothing even where they
 * are allowed. A manifest PUT with an empty body answers 400 (invalid manifest) from a writable
 * registry and 405 from a read-only one; a DELETE of a manifest nobody has answers 404 where
 * deletes are on and 405 where they are not. The sandbox image is used for its curl (busybox's
 * wget sends only GET and POST).
 *
 * @example
 * await probeMirrorWrites(engineClient(cfg), cfg) // { push: 405, delete: 405 }
 */
export async function probeMirrorWrites(
  docker: Docker,
  cfg: HandsonConfig,
  image = SANDBOX_IMAGE,
): Promise<MirrorProbe> {
  const base = `http://${gatewayAddress(cfg)}:${cfg.registry.port}/v2/handson-doctor/write-probe`;
  const curl = (args: string) =>
    `curl -s -o /dev/null -m 5 -w '%{http_code}\\n' ${args} || echo 000`;
  const script = [
    curl(
      `-X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' --data '{}' ${base}/manifests/probe`,
    ),
    curl(`-X DELETE ${base}/manifests/sha256:${'0'.repeat(64)}`),
  ].join('; ');
  let container: Docker.Container;
  try {
    container = await docker.createContainer({
      Image: image,
      Entrypoint: ['sh', '-c', script],
      Cmd: [],
      Tty: true,
      Labels: { [LABELS.managed]: 'true', [LABELS.kind]: 'doctor-probe' },
      HostConfig: { NetworkMode: 'bridge' },
    });
  } catch (error) {
    return { error: `could not create the probe container from ${image}: ${String(error)}` };
  }
  try {
    await container.start();
    await container.wait();
    const output = (await container.logs({ stdout: true, stderr: true, follow: false })).toString(
      'utf8',
    );
    const [push, del] = output.replace(/\r/g, '').trim().split('\n').map(Number);
    return { push: push ?? 0, delete: del ?? 0 };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
