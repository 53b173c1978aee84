import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HandsonConfig, loadConfig } from '../../../../sandbox-server/src/config.ts';
import { disksDir, legacyDisksDir } from '../../../../sandbox-server/src/sandbox/dind/disk.ts';
import {
  STRAY_GRACE_MS,
  sweepStrayDisks,
} from '../../../../sandbox-server/src/sandbox/dind/disk-strays.ts';

describe('sweepStrayDisks', () => {
  let home: string;
  let cfg: HandsonConfig;
  const later = () => Date.now() + STRAY_GRACE_MS + 60_000;

  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'handson-strays-'));
    cfg = loadConfig({ HANDSON_HOME: home, HANDSON_RUN_DIR: path.join(home, 'run') });
    await mkdir(disksDir(cfg), { recursive: true });
    await mkdir(legacyDisksDir(cfg), { recursive: true });
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  const file = (dir: string, name: string) => path.join(dir, name);
  const make = (dir: string, name: string) => writeFile(file(dir, name), 'disk');

  it('removes the disks of sandboxes that are gone, and keeps live ones, spares and other files', async () => {
    const pool = disksDir(cfg);
    await make(pool, 'aaaaaaaaaa.ext4');
    await make(pool, 'bbbbbbbbbb.ext4');
    await make(pool, 'spare-4294967296-100000-100000-0123abcd.ext4');
    await make(pool, 'notes.txt');
    const removed = await sweepStrayDisks(cfg, new Set(['aaaaaaaaaa']), later());
    expect(removed).toEqual(['bbbbbbbbbb']);
    expect(existsSync(file(pool, 'aaaaaaaaaa.ext4'))).toBe(true);
    expect(existsSync(file(pool, 'bbbbbbbbbb.ext4'))).toBe(false);
    expect(existsSync(file(pool, 'spare-4294967296-100000-100000-0123abcd.ext4'))).toBe(true);
    expect(existsSync(file(pool, 'notes.txt'))).toBe(true);
  });

  it('keeps a disk made (or renamed from a spare) within the grace time: its sandbox may be starting', async () => {
    await make(disksDir(cfg), 'cccccccccc.ext4');
    expect(await sweepStrayDisks(cfg, new Set())).toEqual([]);
    expect(existsSync(file(disksDir(cfg), 'cccccccccc.ext4'))).toBe(true);
  });

  it('empties the folder used before the pool, spares included, and removes it', async () => {
    const legacy = legacyDisksDir(cfg);
    await make(legacy, 'dddddddddd.ext4');
    await make(legacy, 'spare-4294967296-100000-100000-1c00180b.ext4');
    const removed = await sweepStrayDisks(cfg, new Set(), later());
    expect(removed.sort()).toEqual(['dddddddddd', 'spare-4294967296-100000-100000-1c00180b.ext4']);
    expect(existsSync(legacy)).toBe(false);
  });

  it('leaves the folder used before the pool while a live sandbox still has its disk there', async () => {
    const legacy = legacyDisksDir(cfg);
    await make(legacy, 'eeeeeeeeee.ext4');
    expect(await sweepStrayDisks(cfg, new Set(['eeeeeeeeee']), later())).toEqual([]);
    expect(existsSync(file(legacy, 'eeeeeeeeee.ext4'))).toBe(true);
  });
});
