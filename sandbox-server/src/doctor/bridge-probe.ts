import type Docker from 'dockerode';
import { type HandsonConfig, LABELS } from '../config.ts';
import type { BridgeProbe } from './types.ts';

/**
 * Fetch URLs from a throwaway container on the sandbox engine's default bridge, as a sandbox
 * would: pull busybox from the local registry (a real pull), run busybox wget against each URL,
 * remove the container. Any HTTP answer (a 404 too) counts as reached.
 *
 * @example
 * await probeFromBridge(engineClient(cfg), cfg, ['http://10.77.0.1:5480/v2/'])
 * // { results: [{ url: 'http://10.77.0.1:5480/v2/', answered: true, output: 'rc=0' }] }
 */
export async function probeFromBridge(
  docker: Docker,
  cfg: HandsonConfig,
  urls: string[],
  image = `127.0.0.1:${cfg.registry.port}/library/busybox:latest`,
): Promise<BridgeProbe> {
  try {
    await pull(docker, image);
  } catch (error) {
    return {
      error: `could not pull ${image} for the probe container (${firstLine(error)}): busybox is not in the local registry yet`,
      results: [],
    };
  }
  // One line per URL: the marker, then wget's own words (which name the HTTP status or the error).
  const script = urls
    // `timeout`, not wget's own -T: busybox 1.35's static wget crashes with -T.
    .map((url) => `echo "@@ ${url}"; timeout 5 wget -q -O /dev/null '${url}' 2>&1; echo "rc=$?"`)
    .join('; ');
  const container = await docker.createContainer({
    Image: image,
    Cmd: ['sh', '-c', script],
    Tty: true,
    Labels: { [LABELS.managed]: 'true', [LABELS.kind]: 'doctor-probe' },
    HostConfig: { NetworkMode: 'bridge' },
  });
  try {
    await container.start();
    await container.wait();
    const output = (await container.logs({ stdout: true, stderr: true, follow: false })).toString(
      'utf8',
    );
    return { results: parseProbeOutput(output, urls) };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** Split the probe's output by URL; `rc=0` or an HTTP status line means the server answered. */
export function parseProbeOutput(output: string, urls: string[]): BridgeProbe['results'] {
  const sections = output.replace(/\r/g, '').split('@@ ').slice(1);
  return urls.map((url) => {
    const section = sections.find((s) => s.startsWith(`${url}\n`)) ?? '';
    const body = section.slice(url.length + 1).trim();
    const answered = /rc=0\b/.test(body) || /HTTP\/1\.[01] \d{3}|server returned error/i.test(body);
    return { url, answered, output: body.replace(/\n/g, ' ') };
  });
}

async function pull(docker: Docker, image: string): Promise<void> {
  const stream = await docker.pull(image);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, events: { error?: string }[]) => {
      const failed = events?.find((e) => e.error);
      if (err || failed) reject(err ?? new Error(failed?.error));
      else resolve();
    });
  });
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
