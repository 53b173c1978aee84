import { afterAll, describe, expect, it } from 'vitest';
import type { DindDriver } from '../../../sandbox-server/src/sandbox/dind/dind-driver.ts';
import { STRAY_GRACE_MS } from '../../../sandbox-server/src/sandbox/dind/disk-strays.ts';
import { sweepStoppedSandboxes } from '../../../sandbox-server/src/sandbox/dind/stopped-sandboxes.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import { dindDriver, leftovers } from './support.ts';

describe('stopped sandboxes', () => {
  let driver: DindDriver;
  const made: Sandbox[] = [];
  afterAll(async () => {
    for (const sandbox of made) await driver.destroy(sandbox.id);
  });

  it('are removed with everything they own once past the grace time; running ones stay', async () => {
    driver = await dindDriver();
    const stopped = await driver.create({ sessionId: 'spec-stopped-sandbox' });
    const running = await driver.create({ sessionId: 'spec-running-sandbox' });
    made.push(stopped, running);
    // What an engine restart does to a sandbox: its container stops, and nobody starts it again.
    await driver.docker.getContainer(driver.containerName(stopped.id)).kill();
    await expect
      .poll(
        async () =>
          (await driver.docker.getContainer(driver.containerName(stopped.id)).inspect()).State
            .Running,
      )
      .toBe(false);
    const mine = (ids: string[]) => ids.filter((id) => id === stopped.id || id === running.id);
    const destroy = (id: string) => driver.destroy(id);

    // Young: perhaps a start another process is still handling.
    expect(mine(await sweepStoppedSandboxes(driver.docker, destroy))).toEqual([]);
    expect(await leftovers(driver, stopped.id)).toContain('container');

    const later = Date.now() + STRAY_GRACE_MS + 60_000;
    expect(mine(await sweepStoppedSandboxes(driver.docker, destroy, later))).toEqual([stopped.id]);
    expect(await leftovers(driver, stopped.id)).toEqual([]);
    expect(await driver.get(running.id)).toBeDefined();
  });
});
