import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  refillSpareDisks,
  takeSpareDisk,
} from '../../../sandbox-server/src/sandbox/dind/disk-spares.ts';
import { run } from '../../../sandbox-server/src/sandbox/dind/run.ts';

const owner = { uid: 100000, gid: 100000 };
const MiB = 2 ** 20;

describe('spare disks', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'handson-spares-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes one formatted spare that a sandbox then takes, once', async () => {
    await refillSpareDisks(dir, 64 * MiB, owner);
    await refillSpareDisks(dir, 64 * MiB, owner); // enough already: no second one
    expect(readdirSync(dir)).toHaveLength(1);
    const target = path.join(dir, 'abc.ext4');
    expect(await takeSpareDisk(dir, 64 * MiB, owner, target)).toBe(true);
    // A real ext4 filesystem whose root belongs to the remapped root.
    const listing = await run('debugfs', ['-R', 'stat /', target]);
    expect(listing).toMatch(/User:\s+100000\s+Group:\s+100000/);
    expect(await takeSpareDisk(dir, 64 * MiB, owner, path.join(dir, 'def.ext4'))).toBe(false);
  });

  it('never hands out a spare of another size or owner, nor a half-made one', async () => {
    await refillSpareDisks(dir, 64 * MiB, owner);
    writeFileSync(path.join(dir, '.making-0000.ext4'), '');
    const target = path.join(dir, 'abc.ext4');
    expect(await takeSpareDisk(dir, 32 * MiB, owner, target)).toBe(false);
    expect(await takeSpareDisk(dir, 64 * MiB, { uid: 200000, gid: 200000 }, target)).toBe(false);
    expect(existsSync(target)).toBe(false);
  });

  it('clears a half-made spare left by a process that died while making it', async () => {
    const stale = path.join(dir, '.making-dead.ext4');
    writeFileSync(stale, '');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(stale, hourAgo, hourAgo);
    await refillSpareDisks(dir, 64 * MiB, owner);
    expect(existsSync(stale)).toBe(false);
  });
});
