import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { DindDriver } from '../../../sandbox-server/src/sandbox/dind/dind-driver.ts';
import { diskPaths, loopDevicesOf } from '../../../sandbox-server/src/sandbox/dind/disk.ts';
import {
  diskPoolPaths,
  diskPoolStatus,
} from '../../../sandbox-server/src/sandbox/dind/disk-pool.ts';
import { leftovers } from './support.ts';

describe('sandbox disk pool and admission', () => {
  const cfg = loadConfig();
  let driver: DindDriver | undefined;
  afterAll(async () => {
    for (const s of (await driver?.list()) ?? []) {
      if (s.sessionId === 'spec-disk-admission') await driver!.destroy(s.id);
    }
  });

  it('refuses a new sandbox, with a message saying why, when the pool is under the watermark', async () => {
    driver = new DindDriver(cfg);
    await driver.preflight();
    const pool = diskPoolStatus(cfg)!;
    // A watermark above what the pool has free: the pool "is full" for new sandboxes.
    driver = new DindDriver(cfg, { diskWatermarkBytes: pool.freeBytes + 1024 ** 4 });
    await driver.preflight();
    expect(driver.refusesNewSandbox()).toMatch(/^No new sandbox can start now: the disk pool/);
    await expect(driver.create({ sessionId: 'spec-disk-admission' })).rejects.toThrow(
      /No new sandbox can start now: the disk pool that holds the sandboxes has .* free of .*, under the .* kept for the learners already working/,
    );
    expect((await driver.list()).filter((s) => s.sessionId === 'spec-disk-admission')).toEqual([]);
  });

  it('keeps every sandbox disk inside the pool, a filesystem of its own', async () => {
    driver = new DindDriver(cfg, { diskWatermarkBytes: 1024 ** 2 });
    await driver.preflight();
    expect(driver.refusesNewSandbox()).toBeUndefined();
    const sandbox = await driver.create({ sessionId: 'spec-disk-admission' });
    const file = diskPaths(cfg, sandbox.id).file;
    expect(file.startsWith(`${diskPoolPaths(cfg).mountPoint}/`)).toBe(true);
    // On the pool's device, not the host filesystem's that holds the registry and database.
    expect(statSync(file).dev).toBe(statSync(diskPoolPaths(cfg).mountPoint).dev);
    expect(statSync(file).dev).not.toBe(statSync(cfg.registry.dataDir).dev);
    // Its loop device writes through (direct I/O), not into the host's page cache as well.
    const devices = await loopDevicesOf(file);
    expect(devices).toHaveLength(1);
    const dio = readFileSync(`/sys/block/${path.basename(devices[0]!)}/loop/dio`, 'utf8');
    expect(dio.trim()).toBe('1');
    await driver.destroy(sandbox.id);
    expect(existsSync(file)).toBe(false);
    expect(await leftovers(driver, sandbox.id)).toEqual([]);
  });
});
