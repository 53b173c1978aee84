import { describe, expect, it } from 'vitest';
import { enteredSince, historyEntries } from '../../../sandbox-server/src/checks/kinds/history.ts';
import { ProgressRecorder } from '../../../sandbox-server/src/progress/progress-recorder.ts';
import { freshStore, STORE_KINDS } from '../store/store-kinds.ts';

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

describe.each(STORE_KINDS)('step passes, as the %s store keeps them', (kind) => {
  const steps = ['a', 'b', 'c'];
  const recorder = async () => {
    const store = await freshStore(kind);
    const progress = new ProgressRecorder(store.attempts, store.progress);
    const pass = (learnerId: string, lesson: string, step: string, at: number, passed = true) =>
      progress.record({ sessionId: 's', learnerId, lesson, step, passed, message: null, at });
    return { progress, pass };
  };

  it('know nothing until a step passes', async () => {
    const { progress, pass } = await recorder();
    await pass('me', 'l', 'a', 100, false);
    expect(await progress.stepBegan('me', 'l', steps, 'c')).toBeUndefined();
  });

  it('begin a step at the latest pass of a step before it', async () => {
    const { progress, pass } = await recorder();
    await pass('me', 'l', 'a', 100);
    await pass('me', 'l', 'b', 300);
    await pass('me', 'l', 'b', 400, false);
    await pass('me', 'l', 'c', 900);
    await pass('me', 'other', 'a', 5000);
    expect(await progress.stepBegan('me', 'l', steps, 'c')).toBe(300);
    expect(await progress.stepBegan('me', 'l', steps, 'b')).toBe(100);
    expect(await progress.stepBegan('me', 'l', steps, 'a')).toBeUndefined();
  });

  it('keep learners apart', async () => {
    const { progress, pass } = await recorder();
    await pass('me', 'l', 'a', 100);
    expect(await progress.stepBegan('someone-else', 'l', steps, 'b')).toBeUndefined();
    expect(await progress.stepBegan('me', 'l', steps, 'b')).toBe(100);
  });
});
