import { describe, expect, it } from 'vitest';
import {
  AckWindow,
  OutputBudget,
  PauseGate,
  TokenBucket,
} from '../../../sandbox-server/src/terminal/flow-control.ts';

describe('AckWindow', () => {
  it('asks to hold the shell back above 512 KiB unacked and to let go only below 128 KiB', () => {
    const w = new AckWindow();
    expect(w.sent(512 * 1024)).toBe(false);
    expect(w.sent(1)).toBe(true);
    expect(w.blocking).toBe(true);
    expect(w.sent(1000)).toBe(false); // already holding: no second signal
    expect(w.acked(300 * 1024)).toBe(false); // 213 KiB left: still above low water
    expect(w.acked(90 * 1024)).toBe(true);
    expect(w.blocking).toBe(false);
  });

  it('never lets a client bank credit by acking more than it was sent', () => {
    const w = new AckWindow(100, 10);
    w.acked(1_000_000);
    expect(w.unacked).toBe(0);
    expect(w.sent(101)).toBe(true);
  });
});

describe('PauseGate', () => {
  it('pauses on the first holder and resumes when the last one lets go', () => {
    const calls: string[] = [];
    const gate = new PauseGate(
      () => calls.push('pause'),
      () => calls.push('resume'),
    );
    gate.hold('writer');
    gate.hold('screen');
    gate.release('writer');
    expect(calls).toEqual(['pause']);
    gate.release('screen');
    gate.release('screen');
    expect(calls).toEqual(['pause', 'resume']);
  });
});

describe('TokenBucket', () => {
  it('allows a burst of one second of rate, then refills with time', () => {
    let now = 0;
    const bucket = new TokenBucket(1000, () => now);
    expect(bucket.take(1000)).toBe(true);
    expect(bucket.take(1)).toBe(false);
    now = 500;
    expect(bucket.take(400)).toBe(true);
    expect(bucket.take(200)).toBe(false);
    now = 10_000;
    expect(bucket.take(1001)).toBe(false); // refill is capped at the burst
    expect(bucket.take(1000)).toBe(true);
  });
});

describe('OutputBudget', () => {
  it('lets a second of output through, then says how long to pause for the excess', () => {
    let now = 0;
    const budget = new OutputBudget(1000, () => now);
    expect(budget.spend(1000)).toBe(0);
    expect(budget.spend(500)).toBe(500); // 500 bytes over: half a second at 1000 B/s
    now = 500;
    expect(budget.spend(0)).toBe(0); // back at zero after the pause
    now = 10_000;
    expect(budget.spend(1500)).toBe(500); // an idle terminal banks at most one second
  });
});
