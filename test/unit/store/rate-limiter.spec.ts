import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../sandbox-server/src/store/rate-limiter.ts';

describe('the per-client rate limiter', () => {
  const setup = () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 3, perMinute: 6 }, () => now);
    return { limiter, advance: (ms: number) => (now += ms) };
  };

  it('allows a burst, then refuses with the wait until the next token', () => {
    const { limiter } = setup();
    for (let i = 0; i < 3; i++) expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('refills at the sustained rate', () => {
    const { limiter, advance } = setup();
    for (let i = 0; i < 3; i++) limiter.take('a');
    advance(9_000);
    expect(limiter.take('a').allowed).toBe(false);
    advance(1_000);
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('tells how long a client must wait without taking a token', () => {
    const { limiter, advance } = setup();
    expect(limiter.waitFor('a')).toBe(0);
    for (let i = 0; i < 3; i++) limiter.take('a');
    expect(limiter.waitFor('a')).toBe(10);
    expect(limiter.waitFor('a')).toBe(10);
    advance(10_000);
    expect(limiter.waitFor('a')).toBe(0);
  });

  it('keeps clients apart', () => {
    const { limiter } = setup();
    for (let i = 0; i < 3; i++) limiter.take('a');
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('forgets clients whose bucket is full again', () => {
    const { limiter, advance } = setup();
    limiter.take('a');
    limiter.take('b');
    expect(limiter.size).toBe(2);
    advance(60_000);
    limiter.take('c');
    expect(limiter.size).toBe(1);
  });
});
