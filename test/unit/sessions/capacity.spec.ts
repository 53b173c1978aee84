import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cgroupMemoryLimit,
  defaultCapacity,
  resolveCapacity,
} from '../../../sandbox-server/src/sessions/capacity.ts';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

describe('sandbox capacity', () => {
  it('divides the cgroup parent memory cap by the working set, not the ceiling', () => {
    expect(
      defaultCapacity({
        cgroupLimitBytes: 16 * GiB,
        hostMemoryBytes: 24 * GiB,
        workingSetBytes: 160 * MiB,
      }),
    ).toBe(102);
  });

  it('without a cap, keeps a quarter of the host for everything else', () => {
    expect(
      defaultCapacity({
        cgroupLimitBytes: undefined,
        hostMemoryBytes: 24 * GiB,
        workingSetBytes: 160 * MiB,
      }),
    ).toBe(115);
  });

  it('is at least one sandbox, even on a tiny host', () => {
    expect(
      defaultCapacity({
        cgroupLimitBytes: undefined,
        hostMemoryBytes: GiB,
        workingSetBytes: 160 * MiB,
      }),
    ).toBe(1);
  });

  it('uses the configured number when there is one', () => {
    expect(resolveCapacity(7, 'handson', 160 * MiB)).toBe(7);
  });

  it('reads cgroup v1 and v2 limits, treating "max" and huge values as unlimited', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgroup-'));
    try {
      fs.mkdirSync(path.join(root, 'memory', 'v1'), { recursive: true });
      fs.writeFileSync(path.join(root, 'memory', 'v1', 'memory.limit_in_bytes'), `${8 * GiB}\n`);
      fs.mkdirSync(path.join(root, 'v2'));
      fs.writeFileSync(path.join(root, 'v2', 'memory.max'), `${4 * GiB}\n`);
      fs.mkdirSync(path.join(root, 'open'));
      fs.writeFileSync(path.join(root, 'open', 'memory.max'), 'max\n');
      fs.mkdirSync(path.join(root, 'memory', 'huge'));
      fs.writeFileSync(
        path.join(root, 'memory', 'huge', 'memory.limit_in_bytes'),
        '9223372036854771712',
      );
      expect(cgroupMemoryLimit('v1', root)).toBe(8 * GiB);
      expect(cgroupMemoryLimit('v2', root)).toBe(4 * GiB);
      expect(cgroupMemoryLimit('open', root)).toBeUndefined();
      expect(cgroupMemoryLimit('huge', root)).toBeUndefined();
      expect(cgroupMemoryLimit('absent', root)).toBeUndefined();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
