import { describe, expect, it } from 'vitest';
import { AttemptRepository } from '../../../sandbox-server/src/store/attempt-repository.ts';
import { AttemptRetention } from '../../../sandbox-server/src/store/attempt-retention.ts';
import { openDatabase } from '../../../sandbox-server/src/store/database.ts';

const DAY = 24 * 3600 * 1000;

describe('the Check history retention', () => {
  it('keeps the newest N attempts of each learner step and drops those older than the limit', () => {
    const attempts = new AttemptRepository(openDatabase(':memory:'));
    const now = 100 * DAY;
    const record = (learnerId: string, step: string, at: number) =>
      attempts.record({ learnerId, lesson: 'l', step, passed: false, message: 'no', at });
    for (let i = 0; i < 500; i++) record('spammer', 'hello', now - i); // a Check in a loop
    for (let i = 0; i < 3; i++) record('calm', 'hello', now - i * 1000);
    record('calm', 'old-step', now - 31 * DAY);
    let clock = now;
    const retention = new AttemptRetention(
      attempts,
      { maxAgeMs: 30 * DAY, keepPerStep: 50, everyMs: 3600_000 },
      () => clock,
    );
    expect(retention.maybePrune()).toBe(451);
    const spammer = attempts.forLearners(['spammer']);
    expect(spammer).toHaveLength(50);
    expect(spammer.at(-1)?.at).toBe(now); // the newest are the ones kept
    expect(attempts.forLearners(['calm']).map((a) => a.step)).toEqual(['hello', 'hello', 'hello']);
    record('spammer', 'hello', now + 1);
    clock += 60_000;
    expect(retention.maybePrune()).toBe(0); // not again within the hour
    clock += 3600_000;
    expect(retention.maybePrune()).toBe(1);
  });
});
