import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  processCmdline,
  removeStalePidfile,
} from '../../../sandbox-server/src/system/managed-process.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function pidfileWith(content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handson-pidfile-'));
  dirs.push(dir);
  const file = path.join(dir, 'service.pid');
  fs.writeFileSync(file, content);
  return file;
}

describe('a pidfile left by an earlier boot', () => {
  it('is removed when its pid now belongs to another program (a recycled pid)', () => {
    // This test's own process is alive, and it is not containerd.
    const pidfile = pidfileWith(`${process.pid}\n`);
    const spec = { pidfile, command: 'containerd', signature: '/run/x/containerd.toml' };
    expect(removeStalePidfile(spec)).toBe(true);
    expect(fs.existsSync(pidfile)).toBe(false);
  });

  it('is removed when its pid is not a number', () => {
    const pidfile = pidfileWith('garbage\n');
    expect(removeStalePidfile({ pidfile, command: 'containerd' })).toBe(true);
    expect(fs.existsSync(pidfile)).toBe(false);
  });

  it('is kept while it names a live process of the program', () => {
    const pidfile = pidfileWith(`${process.pid}\n`);
    // The signature is something this process's own command line holds.
    const signature = processCmdline(process.pid)?.split(' ')[0] ?? 'node';
    expect(removeStalePidfile({ pidfile, command: 'node', signature })).toBe(false);
    expect(fs.readFileSync(pidfile, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('that does not exist is nothing to remove', () => {
    const pidfile = path.join(os.tmpdir(), `handson-no-such-${process.pid}.pid`);
    expect(removeStalePidfile({ pidfile, command: 'containerd' })).toBe(false);
  });
});
