import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { DindDriver } from '../../../sandbox-server/src/sandbox/dind/dind-driver.ts';
import { disksDir } from '../../../sandbox-server/src/sandbox/dind/disk.ts';
import { freeBytes } from '../../../sandbox-server/src/sandbox/dind/disk-headroom.ts';
import { leftovers } from './support.ts';

describe('sandbox disk admission', () => {
  const cfg = loadConfig();
  let driver: DindDriver | undefined;
  afterAll(async () => {
    for (const s of (await driver?.list()) ?? []) {
      if (s.sessionId === 'spec-disk-admission') await driver!.destroy(s.id);
    }
  });

  it('refuses a new sandbox, with a message saying why, when the disks are under the watermark', async () => {
    const free = await freeBytes(disksDir(cfg));
    // A watermark above what is free: the host "is full" for new sandboxes.
    driver = new DindDriver(cfg, { diskWatermarkBytes: free + 1024 ** 4 });
    await driver.preflight();
    await expect(driver.create({ sessionId: 'spec-disk-admission' })).rejects.toThrow(
      /No new sandbox can start: the disk that holds the sandboxes .* free, under the .* kept for the running ones/,
    );
    expect((await driver.list()).filter((s) => s.sessionId === 'spec-disk-admission')).toEqual([]);
  });

  it('starts sandboxes while the disks are above the watermark', async () => {
    driver = new DindDriver(cfg, { diskWatermarkBytes: 1024 ** 2 });
    await driver.preflight();
    const sandbox = await driver.create({ sessionId: 'spec-disk-admission' });
    await driver.destroy(sandbox.id);
    expect(await leftovers(driver, sandbox.id)).toEqual([]);
  });
});
