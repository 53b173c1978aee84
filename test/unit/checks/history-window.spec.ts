import { describe, expect, it } from 'vitest';
import { enteredSince, historyEntries } from '../../../sandbox-server/src/checks/kinds/history.ts';
import { notePass, stepBegan } from '../../../sandbox-server/src/checks/step-passes.ts';

describe('history entries', () => {
  const file = ['#1700000000', 'docker version', '#1700000005', 'docker info', 'ls -l', ''].join(
    '\n',
  );

  it('fold each #<epoch> line into the command after it', () => {
    expect(historyEntries(file)).toEqual([
      { command: 'docker version', at: 1_700_000_000 },
      { command: 'docker info', at: 1_700_000_005 },
      { command: 'ls -l' },
    ]);
  });

  it('keep every entry without a bound, and only later stamped ones with one', () => {
    const entries = historyEntries(file);
    expect(enteredSince(entries, undefined)).toHaveLength(3);
    // A bound inside second 1_700_000_000 leaves that second's command out.
    expect(enteredSince(entries, 1_700_000_000_400).map((e) => e.command)).toEqual(['docker info']);
    expect(enteredSince(entries, 1_700_000_005_000)).toEqual([]);
  });
});

describe('step passes', () => {
  const steps = ['a', 'b', 'c'];

  it('know nothing until a step passes', () => {
    expect(stepBegan({}, 'l', steps, 'c')).toBeUndefined();
  });

  it('begin a step at the latest pass of a step before it', () => {
    const session = {};
    notePass(session, 'l', 'a', 100);
    notePass(session, 'l', 'b', 300);
    notePass(session, 'l', 'c', 900);
    notePass(session, 'other', 'a', 5000);
    expect(stepBegan(session, 'l', steps, 'c')).toBe(300);
    expect(stepBegan(session, 'l', steps, 'b')).toBe(100);
    expect(stepBegan(session, 'l', steps, 'a')).toBeUndefined();
  });

  it('keep sessions apart', () => {
    const one = {};
    notePass(one, 'l', 'a', 100);
    expect(stepBegan({}, 'l', steps, 'b')).toBeUndefined();
    expect(stepBegan(one, 'l', steps, 'b')).toBe(100);
  });
});
