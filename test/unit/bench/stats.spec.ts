import { describe, expect, it } from 'vitest';
import { percentile, round } from '../../../sandbox-server/src/bench/stats.ts';

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
});
