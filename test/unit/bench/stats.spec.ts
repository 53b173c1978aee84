import { describe, expect, it } from 'vitest';
import { eventLoopDelay, percentile, round } from '../../../sandbox-server/src/bench/stats.ts';

describe('benchmark statistics', () => {
  it('take the nearest-rank percentile, p from 0 to 1', () => {
    const values = [9, 1, 5, 3, 7, 2, 8, 4, 6, 10];
    expect(percentile(values, 0.5)).toBe(5);
    expect(percentile(values, 0.99)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('round to the digits asked for', () => {
    expect(round(1.23456)).toBe(1.23);
    expect(round(1.25, 1)).toBe(1.3);
  });

  it('measure how late the event loop ran, and start again on reset', async () => {
    const loop = eventLoopDelay();
    await expect.poll(() => loop.samples()).toBeGreaterThan(0);
    const blockedUntil = Date.now() + 150;
    while (Date.now() < blockedUntil) {
      // Busy: no timer can fire.
    }
    await expect.poll(() => loop.max()).toBeGreaterThan(100);
    loop.reset();
    expect(loop.p99()).toBe(0);
  });
});
