import { describe, expect, it } from 'vitest';
import {
  configuredPoolSize,
  poolSizeFor,
} from '../../../../sandbox-server/src/sandbox/dind/disk-pool.ts';

const GiB = 1024 ** 3;

describe('the sandbox disk pool size', () => {
  it('is half the free host disk by default, in whole GiB', () => {
    expect(poolSizeFor(undefined, 77.5 * GiB, 5 * GiB)).toBe(38 * GiB);
  });

  it('is the configured size when the host keeps its reserve beside it', () => {
    expect(poolSizeFor(configuredPoolSize({ HANDSON_DISK_POOL: '60G' }), 70 * GiB, 5 * GiB)).toBe(
      60 * GiB,
    );
  });

  it('is refused, saying what to set, when it would leave the host under its reserve', () => {
    expect(() => poolSizeFor(68 * GiB, 70 * GiB, 5 * GiB)).toThrow(
      /would take 68\.0 GiB of the 70\.0 GiB free on the host, which keeps at least 5\.0 GiB .* Set HANDSON_DISK_POOL/,
    );
    expect(() => poolSizeFor(undefined, 1 * GiB, 5 * GiB)).toThrow(/cannot be made/);
  });

  it('reads HANDSON_DISK_POOL as a size, and nothing when unset', () => {
    expect(configuredPoolSize({})).toBeUndefined();
    expect(configuredPoolSize({ HANDSON_DISK_POOL: '512M' })).toBe(512 * 1024 ** 2);
    expect(() => configuredPoolSize({ HANDSON_DISK_POOL: 'lots' })).toThrow(/HANDSON_DISK_POOL/);
  });
});
