import { describe, expect, it } from 'vitest';
import { enteredSince, historyEntries } from '../../../sandbox-server/src/checks/kinds/history.ts';
import { ProgressRecorder } from '../../../sandbox-server/src/progress/progress-recorder.ts';
import { AttemptRepository } from '../../../sandbox-server/src/store/attempt-repository.ts';
import { openDatabase } from '../../../sandbox-server/src/store/database.ts';
import { ProgressRepository } from '../../../sandbox-server/src/store/progress-repository.ts';

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

describe('step passes, as the store keeps them', () => {
  const steps = ['a', 'b', 'c'];
  const recorder = () => {
    const db = openDatabase(':memory:');
    const progress = new ProgressRecorder(new AttemptRepository(db), new ProgressRepository(db));
    const pass = (learnerId: string, lesson: string, step: string, at: number, passed = true) =>
      progress.record({ sessionId: 's', learnerId, lesson, step, passed, message: null, at });
    return { progress, pass };
  };

  it('know nothing until a step passes', () => {
    const { progress, pass } = recorder();
    pass('me', 'l', 'a', 100, false);
    expect(progress.stepBegan('me', 'l', steps, 'c')).toBeUndefined();
  });

  it('begin a step at the latest pass of a step before it', () => {
    const { progress, pass } = recorder();
    pass('me', 'l', 'a', 100);
    pass('me', 'l', 'b', 300);
    pass('me', 'l', 'b', 400, false);
    pass('me', 'l', 'c', 900);
    pass('me', 'other', 'a', 5000);
    expect(progress.stepBegan('me', 'l', steps, 'c')).toBe(300);
    expect(progress.stepBegan('me', 'l', steps, 'b')).toBe(100);
    expect(progress.stepBegan('me', 'l', steps, 'a')).toBeUndefined();
  });

  it('keep learners apart', () => {
    const { progress, pass } = recorder();
    pass('me', 'l', 'a', 100);
    expect(progress.stepBegan('someone-else', 'l', steps, 'b')).toBeUndefined();
    expect(progress.stepBegan('me', 'l', steps, 'b')).toBe(100);
  });
});
