import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withRunLock } from '../../../sandbox-server/src/images/run-lock.ts';

async function lockFile(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'handson-lock-')), 'images.lock');
}

describe('one images run at a time', () => {
  it('runs the second run only after the first has finished', async () => {
    const file = await lockFile();
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = withRunLock(file, async () => {
      order.push('first starts');
      await new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      order.push('first ends');
    });
    await expect.poll(() => order).toEqual(['first starts']);
    const waits: number[] = [];
    const second = withRunLock(file, async () => order.push('second starts'), {
      pollMs: 10,
      onWait: (pid) => waits.push(pid),
    });
    await expect.poll(() => waits).toEqual([process.pid]);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first starts', 'first ends', 'second starts']);
    expect(existsSync(file)).toBe(false);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const file = await lockFile();
    await writeFile(file, '999999999');
    await expect(withRunLock(file, async () => 'ran')).resolves.toBe('ran');
  });

  it('releases the lock when the run fails', async () => {
    const file = await lockFile();
    await expect(
      withRunLock(file, async () => {
        throw new Error('build failed');
      }),
    ).rejects.toThrow('build failed');
    expect(existsSync(file)).toBe(false);
  });
});
