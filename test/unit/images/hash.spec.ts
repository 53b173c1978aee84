import { chmod, mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { combineHashes, hashDirectory } from '../../../sandbox-server/src/images/hash.ts';

describe('recipe hashes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'handson-hash-'));
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM debian:bookworm\n');
    await writeFile(path.join(dir, 'app.py'), 'print("hi")\n');
  });

  it('is the same for the same files', async () => {
    expect(await hashDirectory(dir)).toBe(await hashDirectory(dir));
    expect(await hashDirectory(dir)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('changes when a file changes', async () => {
    const before = await hashDirectory(dir);
    await writeFile(path.join(dir, 'app.py'), 'print("hello")\n');
    expect(await hashDirectory(dir)).not.toBe(before);
  });

  it('changes when a file is renamed', async () => {
    const before = await hashDirectory(dir);
    await rename(path.join(dir, 'app.py'), path.join(dir, 'main.py'));
    expect(await hashDirectory(dir)).not.toBe(before);
  });

  it('changes when a script becomes executable', async () => {
    const before = await hashDirectory(dir);
    await chmod(path.join(dir, 'app.py'), 0o755);
    expect(await hashDirectory(dir)).not.toBe(before);
  });

  it('combines parts by name, whatever order they are given in', () => {
    const a = combineHashes({ recipe: 'sha256:1', parent: 'sha256:2' });
    expect(combineHashes({ parent: 'sha256:2', recipe: 'sha256:1' })).toBe(a);
    expect(combineHashes({ recipe: 'sha256:1', parent: 'sha256:3' })).not.toBe(a);
    expect(combineHashes({ a: 'xy' })).not.toBe(combineHashes({ ax: 'y' }));
  });
});
