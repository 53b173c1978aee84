import { describe, expect, it } from 'vitest';
import { AttemptRetention } from '../../../sandbox-server/src/store/attempt-retention.ts';
import { freshStore, STORE_KINDS } from './store-kinds.ts';

const DAY = 24 * 3600 * 1000;

describe.each(STORE_KINDS)('the Check history retention on %s', (kind) => {
  it('keeps the newest N attempts of each learner step and drops those older than the limit', async () => {
    const { attempts } = await freshStore(kind);
    const now = 100 * DAY;
    const record = (learnerId: string, step: string, at: number) =>
      attempts.record({ learnerId, lesson: 'l', step, passed: false, message: 'no', at });
    for (let i = 0; i < 500; i++) await record('spammer', 'hello', now - i); // a Check in a loop
    for (let i = 0; i < 3; i++) await record('calm', 'hello', now - i * 1000);
    await record('calm', 'old-step', now - 31 * DAY);
    let clock = now;
    const retention = new AttemptRetention(
      attempts,
      { maxAgeMs: 30 * DAY, keepPerStep: 50, everyMs: 3600_000 },
      () => clock,
    );
    expect(await retention.maybePrune()).toBe(451);
    const spammer = await attempts.forLearners(['spammer']);
    expect(spammer).toHaveLength(50);
    expect(spammer.at(-1)?.at).toBe(now); // the newest are the ones kept
    expect((await attempts.forLearners(['calm'])).map((a) => a.step)).toEqual([
      'hello',
      'hello',
      'hello',
    ]);
    await record('spammer', 'hello', now + 1);
    clock += 60_000;
    expect(await retention.maybePrune()).toBe(0); // not again within the hour
    clock += 3600_000;
    expect(await retention.maybePrune()).toBe(1);
  });
});
