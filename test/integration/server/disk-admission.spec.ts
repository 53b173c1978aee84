import { afterAll, describe, expect, it } from 'vitest';
import { DindDriver } from '../../../sandbox-server/src/sandbox/dind/dind-driver.ts';
import { diskPoolStatus } from '../../../sandbox-server/src/sandbox/dind/disk-pool.ts';
import { client, serverHarness } from './server-harness.ts';

const harness = serverHarness();
afterAll(() => harness.dispose());

describe('POST /api/sessions while the sandbox disk pool is under its watermark', () => {
  it('answers 503 with Retry-After and says why, and starts no sandbox', async () => {
    await harness.driver.preflight();
    const pool = diskPoolStatus(harness.config)!;
    // The same pool, with a watermark above what it has free: full, as far as admission goes.
    const driver = new DindDriver(harness.config, {
      diskWatermarkBytes: pool.freeBytes + 1024 ** 4,
    });
    const server = await harness.start({ driver });

    const res = await client(server.url).call('/api/sessions', {
      method: 'POST',
      body: JSON.stringify({ lang: 'en' }),
    });

    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('disk_low');
    expect(body.error.message).toMatch(
      /^No new sandbox can start now: the disk pool that holds the sandboxes has .* free/,
    );
    expect(server.manager.live.size).toBe(0);
  });
});
