import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readFolderNoFollow,
  writeFileNoFollow,
} from '../../../sandbox-server/src/sandbox/dind/no-follow-files.ts';

let base: string;
let outside: string;

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'handson-nofollow-'));
  outside = await mkdtemp(path.join(os.tmpdir(), 'handson-outside-'));
  await writeFile(path.join(outside, 'secret'), 'host secret\n');
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const names = (files: { name: string }[]) => files.map((f) => f.name);

describe('readFolderNoFollow', () => {
  it('reads the regular files of the folder, in name order', async () => {
    await mkdir(path.join(base, '.handson', 'history'), { recursive: true });
    await writeFile(path.join(base, '.handson', 'history', 'main'), '#1\nls\n');
    await writeFile(path.join(base, '.handson', 'history', 'editor'), '#2\npwd\n');
    const files = await readFolderNoFollow(base, ['.handson', 'history'], 1 << 20);
    expect(names(files)).toEqual(['editor', 'main']);
    expect(files[1]!.data.toString()).toBe('#1\nls\n');
  });

  it('gives nothing for a missing folder', async () => {
    expect(await readFolderNoFollow(base, ['.handson', 'history'], 1 << 20)).toEqual([]);
  });

  it('does not follow a folder that is a symlink (to a host folder)', async () => {
    await mkdir(path.join(base, '.handson'));
    await symlink(outside, path.join(base, '.handson', 'history'));
    expect(await readFolderNoFollow(base, ['.handson', 'history'], 1 << 20)).toEqual([]);
  });

  it('skips files that are symlinks, FIFOs or folders, without blocking', async () => {
    const dir = path.join(base, 'history');
    await mkdir(path.join(dir, 'sub'), { recursive: true });
    await symlink(path.join(outside, 'secret'), path.join(dir, 'link'));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    await writeFile(path.join(dir, 'main'), 'ls\n');
    const files = await readFolderNoFollow(base, ['history'], 1 << 20);
    expect(names(files)).toEqual(['main']);
  });

  it('keeps the whole last lines of a file over the budget', async () => {
    await mkdir(path.join(base, 'history'));
    await writeFile(path.join(base, 'history', 'main'), 'first line\nsecond\nthird\n');
    const [file] = await readFolderNoFollow(base, ['history'], 10);
    expect(file!.data.toString()).toBe('third\n');
  });
});

describe('writeFileNoFollow', () => {
  it('writes the file whole, leaving no temporary file behind', async () => {
    await mkdir(path.join(base, '.handson', 'screens'), { recursive: true });
    expect(await writeFileNoFollow(base, ['.handson', 'screens'], 'main', 'screen one')).toBe(true);
    expect(await writeFileNoFollow(base, ['.handson', 'screens'], 'main', 'screen two')).toBe(true);
    expect(await readFile(path.join(base, '.handson', 'screens', 'main'), 'utf8')).toBe(
      'screen two',
    );
    expect(await readdir(path.join(base, '.handson', 'screens'))).toEqual(['main']);
  });

  it('replaces a symlink at the target instead of writing through it', async () => {
    await mkdir(path.join(base, 'screens'));
    await symlink(path.join(outside, 'secret'), path.join(base, 'screens', 'main'));
    expect(await writeFileNoFollow(base, ['screens'], 'main', 'screen')).toBe(true);
    expect(await readFile(path.join(outside, 'secret'), 'utf8')).toBe('host secret\n');
    expect((await lstat(path.join(base, 'screens', 'main'))).isFile()).toBe(true);
  });

  it('writes nothing when the folder is missing or a symlink', async () => {
    expect(await writeFileNoFollow(base, ['screens'], 'main', 'screen')).toBe(false);
    await symlink(outside, path.join(base, 'screens'));
    expect(await writeFileNoFollow(base, ['screens'], 'main', 'screen')).toBe(false);
    expect(await readdir(outside)).toEqual(['secret']);
  });
});
