import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { installLastResort } from '../../../sandbox-server/src/server/last-resort.ts';

const detachers: (() => void)[] = [];
afterEach(() => {
  for (const detach of detachers.splice(0)) detach();
});

function install(maxPerMinute?: number) {
  const logged: string[] = [];
  const exits: number[] = [];
  // A stand-in for `process`, so the test runner's own handlers never see these errors.
  const process = new EventEmitter();
  detachers.push(
    installLastResort({
      log: (m) => logged.push(m),
      exit: (code) => exits.push(code),
      target: process,
      ...(maxPerMinute !== undefined ? { maxPerMinute } : {}),
    }),
  );
  return { logged, exits, process };
}

describe('the last-resort handler', () => {
  it('logs an error nothing caught, with its stack, and keeps serving', () => {
    const { logged, exits, process } = install();
    process.emit('uncaughtException', new Error('a handler threw'));
    process.emit('unhandledRejection', new Error('a promise failed'));
    expect(logged[0]).toMatch(/uncaught exception.*a handler threw\n\s+at /s);
    expect(logged[1]).toMatch(/unhandled rejection.*a promise failed/);
    expect(exits).toEqual([]);
  });

  it('exits non-zero when the process itself is broken', () => {
    const { logged, exits, process } = install();
    process.emit('uncaughtException', new RangeError('Maximum call stack size exceeded'));
    expect(exits).toEqual([70]);
    expect(logged.at(-1)).toMatch(/not sound.*re-adopted/);
  });

  it('exits when errors come in a storm (a loop, not a request)', () => {
    const { exits, process } = install(3);
    for (let i = 0; i < 4; i++) {
      process.emit('uncaughtException', new Error(`again ${i}`));
    }
    expect(exits).toEqual([70]);
  });
});
