import Docker from 'dockerode';
import { loadConfig } from '../../../sandbox-server/src/config.ts';

/** Test helpers: containers on the sandbox engine, labelled so a crashed run can be cleaned up. */

export const TEST_LABEL = 'dev.handson.test';
export const docker = new Docker({ socketPath: loadConfig().engine.socket });

/**
 * Runs `cmd` in `image` to completion and resolves with its exit code and output (one TTY
 * stream, so stdout and stderr arrive in order).
 */
export async function runToExit(
  image: string,
  cmd?: string[],
): Promise<{ code: number; output: string }> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: cmd,
    Tty: true,
    Labels: { [TEST_LABEL]: 'images' },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    return { code: StatusCode, output: logs.toString('utf8') };
  } finally {
    await container.remove({ force: true });
  }
}

/** Starts a long-running container and resolves with it and its address on the bridge. */
export async function startDetached(
  image: string,
  cmd?: string[],
): Promise<{ container: Docker.Container; ip: string }> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: cmd,
    Labels: { [TEST_LABEL]: 'images' },
  });
  await container.start();
  const info = await container.inspect();
  const ip = Object.values(info.NetworkSettings.Networks)[0]?.IPAddress ?? '';
  return { container, ip };
}

/** Removes every container these tests started. */
export async function removeTestContainers(): Promise<void> {
  const leftovers = await docker.listContainers({
    all: true,
    filters: { label: [`${TEST_LABEL}=images`] },
  });
  await Promise.all(leftovers.map((c) => docker.getContainer(c.Id).remove({ force: true })));
}

/** The body of `url`, or '' while it does not answer yet (for expect.poll). */
export async function bodyOf(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return await response.text();
  } catch {
    return '';
  }
}
