import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Holds `file` as a lock for the length of `work`: two `handson images` at once (say `npm
 * test` while `doctor --fix` runs) would fill the same repository and move the same tags. A
 * lock left by a process that died is taken over.
 *
 * @example
 * await withRunLock('/run/handson/images.lock', () => build(), { onWait: (pid) => log(`waiting for ${pid}`) });
 */
export async function withRunLock<T>(
  file: string,
  work: () => Promise<T>,
  opts: { signal?: AbortSignal; onWait?: (pid: number) => void; pollMs?: number } = {},
): Promise<T> {
  await mkdir(path.dirname(file), { recursive: true });
  let announced = false;
  for (;;) {
    opts.signal?.throwIfAborted();
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    if (!Number.isInteger(holder) || !alive(holder)) {
      await rm(file, { force: true });
      continue;
    }
    if (!announced) opts.onWait?.(holder);
    announced = true;
    await sleep(opts.pollMs ?? 500, undefined, { signal: opts.signal });
  }
  try {
    return await work();
  } finally {
    await rm(file, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
