import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireServerLock,
  DatabaseHeldError,
  type ServerLock,
} from '../../../sandbox-server/src/store/server-lock.ts';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0).reverse()) fn();
});

function database(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handson-lock-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'db.sqlite');
}

function take(db: string): ServerLock {
  const lock = acquireServerLock(db);
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

describe('server lock', () => {
  it('refuses a second holder at once, naming the first one', () => {
    const db = database();
    take(db).announce('http://127.0.0.1:4321');
    expect(() => acquireServerLock(db)).toThrow(DatabaseHeldError);
    expect(() => acquireServerLock(db)).toThrow(
      new RegExp(`pid ${process.pid}, http://127\\.0\\.0\\.1:4321`),
    );
  });

  it('is free again once released', () => {
    const db = database();
    take(db).release();
    expect(() => take(db)).not.toThrow();
  });

  it('refuses while another live process holds it', async () => {
    const db = database();
    const child = await holderProcess(db);
    expect(() => acquireServerLock(db)).toThrow(new RegExp(`pid ${child.pid}, http://127`));
  });

  it('is taken over from a process that was killed without letting go', async () => {
    const db = database();
    const child = await holderProcess(db);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const lock = take(db);
    lock.announce('http://127.0.0.1:4322');
    expect(JSON.parse(fs.readFileSync(`${db}.server.json`, 'utf8'))).toMatchObject({
      pid: process.pid,
      address: 'http://127.0.0.1:4322',
    });
  });

  it('needs no lock for an in-memory database', () => {
    take(':memory:');
    expect(() => take(':memory:')).not.toThrow();
  });
});
