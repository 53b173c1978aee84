import { describe, expect, it } from 'vitest';
import type { CheckAttempt } from '../../../sandbox-server/src/store/attempt-repository.ts';
import {
  learnerRow,
  STUCK_AFTER_MS,
  sortForInstructor,
} from '../../../sandbox-server/src/workshops/dashboard.ts';

const steps = [
  { lesson: 'a', step: 'one' },
  { lesson: 'a', step: 'two' },
  { lesson: 'b', step: 'three' },
];
const attempt = (
  step: string,
  passed: boolean,
  at: number,
  lesson = step === 'three' ? 'b' : 'a',
): CheckAttempt => ({
  learnerId: 'l',
  lesson,
  step,
  passed,
  message: passed ? null : `${step} is not done`,
  at,
});
const row = (name: string, attempts: CheckAttempt[], now = 1000, joinedAt = 0) =>
  learnerRow(
    steps,
    { learner: name, name, session: `s-${name}`, sessionState: 'ready', joinedAt, attempts },
    now,
  );

describe('the instructor grid', () => {
  it('marks passed steps done, the first open one working, later ones todo', () => {
    const r = row('aki', [attempt('one', true, 100)]);
    expect(r.cells).toEqual(['done', 'working', 'todo']);
    expect(r.current).toEqual({ lesson: 'a', step: 'two' });
    expect(r.passed).toBe(1);
  });

  it('counts time on the current step from the previous pass, not from joining', () => {
    expect(row('aki', [attempt('one', true, 400)], 1000).onStepMs).toBe(600);
    expect(row('ben', [], 1000, 250).onStepMs).toBe(750);
  });

  it('shows failing checks with the last message, and a pass after failures as done', () => {
    const failing = row('aki', [attempt('one', false, 10), attempt('one', false, 20)]);
    expect(failing.cells[0]).toBe('failing');
    expect(failing).toMatchObject({
      failedAttempts: 2,
      lastFailure: 'one is not done',
      stuck: false,
    });
    const fixed = row('ben', [attempt('one', false, 10), attempt('one', true, 20)]);
    expect(fixed.cells[0]).toBe('done');
    expect(fixed.failedAttempts).toBe(0);
  });

  it('calls a learner stuck after three failures or a long time on one step', () => {
    expect(
      row(
        'aki',
        [1, 2, 3].map((t) => attempt('one', false, t)),
      ).stuck,
    ).toBe(true);
    expect(row('ben', [], STUCK_AFTER_MS).stuck).toBe(true);
    expect(row('chie', [], STUCK_AFTER_MS - 1).stuck).toBe(false);
  });

  it('is never stuck when every step is done', () => {
    const done = row(
      'aki',
      [attempt('one', true, 1), attempt('two', true, 2), attempt('three', true, 3)],
      STUCK_AFTER_MS * 2,
    );
    expect(done).toMatchObject({ current: null, stuck: false, passed: 3, onStepMs: 0 });
  });

  it('sorts stuck learners first, longest stuck first, then the least progress first', () => {
    const now = STUCK_AFTER_MS * 3;
    const sorted = sortForInstructor([
      row('ahead', [attempt('one', true, now - 10), attempt('two', true, now - 5)], now),
      row('behind', [], now, now - 100),
      row('stuck-long', [], now, 0),
      row('stuck-short', [], now, STUCK_AFTER_MS),
    ]);
    expect(sorted.map((r) => r.name)).toEqual(['stuck-long', 'stuck-short', 'behind', 'ahead']);
  });
});
