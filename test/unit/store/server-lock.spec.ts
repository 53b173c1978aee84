import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireServerLock,
  assertDatabaseFree,
  DatabaseHeldError,
  type ServerLock,
} from '../../../sandbox-server/src/store/server-lock.ts';
import { freshDatabase, STORE_KINDS } from './store-kinds.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function take(db: string): Promise<ServerLock> {
  const lock = await acquireServerLock(db);
  cleanup.push(() => lock.release());
  return lock;
}

/** Another process holding the lock, as a running `handson serve` would. */
async function holderProcess(db: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'hold-server-lock.ts'), db],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  cleanup.push(() => child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('held')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
  return child;
}

describe.each(STORE_KINDS)('the server lock on %s', (kind) => {
  it('refuses a second holder at once, naming the first one', async () => {
    const db = await freshDatabase(kind);
    await (await take(db)).announce('http://127.0.0.1:4321');
    await expect(acquireServerLock(db)).rejects.toThrow(DatabaseHeldError);
    await expect(acquireServerLock(db)).rejects.toThrow(
      new RegExp(`pid ${process.pid}, http://127\\.0\\.0\\.1:4321`),
    );
    await expect(assertDatabaseFree(db)).rejects.toThrow(DatabaseHeldError);
  });

  it('is free again once released', async () => {
    const db = await freshDatabase(kind);
    await (await take(db)).release();
    await expect(assertDatabaseFree(db)).resolves.toBeUndefined();
    await expect(take(db)).resolves.toBeDefined();
  });

  it('refuses while another live process holds it', async () => {
    const db = await freshDatabase(kind);
    const child = await holderProcess(db);
    await expect(acquireServerLock(db)).rejects.toThrow(new RegExp(`pid ${child.pid}, http://127`));
  });

  it('is taken over from a process that was killed without letting go', async () => {
    const db = await freshDatabase(kind);
    const child = await holderProcess(db);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    // Postgres notices the dead connection on its own; the lock is free once it has.
    let lock: ServerLock | undefined;
    await expect
      .poll(async () => {
        lock = await acquireServerLock(db).catch(() => undefined);
        return lock !== undefined;
      })
      .toBe(true);
    cleanup.push(() => lock?.release());
    await lock!.announce('http://127.0.0.1:4322');
    await expect(acquireServerLock(db)).rejects.toThrow(
      new RegExp(`pid ${process.pid}, http://127\\.0\\.0\\.1:4322`),
    );
  });
});

describe('the SQLite server lock', () => {
  it('needs no lock for an in-memory database', async () => {
    await take(':memory:');
    await expect(take(':memory:')).resolves.toBeDefined();
  });
});
