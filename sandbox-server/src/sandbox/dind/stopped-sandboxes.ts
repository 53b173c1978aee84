import type Docker from 'dockerode';
import { LABELS } from '../../config.ts';
import { STRAY_GRACE_MS } from './disk-strays.ts';
import { SANDBOX_KIND } from './profile.ts';

/**
 * Sandboxes whose container stopped (the engine restarted under them, or the host rebooted) are
 * never started again: a server re-adopts running sandboxes only, and ends the sessions of the
 * others. Their containers, networks and disks would otherwise stay until someone removes them
 * by hand — those of a test, a benchmark or a `verify` that was killed, whose server is gone,
 * forever.
 */

/**
 * Remove, with `destroy`, every stopped sandbox created longer than the grace time ago (a
 * younger one may be a sandbox whose start another process is still handling). Returns the ids.
 *
 * @example
 * await sweepStoppedSandboxes(driver.docker, (id) => driver.destroy(id));
 */
export async function sweepStoppedSandboxes(
  docker: Docker,
  destroy: (id: string) => Promise<void>,
  now: number = Date.now(),
): Promise<string[]> {
  const stopped = await docker.listContainers({
    all: true,
    filters: {
      label: [`${LABELS.managed}=true`, `${LABELS.kind}=${SANDBOX_KIND}`],
      status: ['exited', 'dead'],
    },
  });
  const removed: string[] = [];
  for (const container of stopped) {
    const id = container.Labels['dev.handson.sandbox'];
    if (!id || now - container.Created * 1000 < STRAY_GRACE_MS) continue;
    await destroy(id).then(
      () => removed.push(id),
      () => undefined,
    );
  }
  return removed;
}
