import { describe, expect, it } from 'vitest';
import {
  describeState,
  EXPIRY_WARNING_MS,
  nextState,
  type SessionState,
} from '../../../../site/src/client/session-state.ts';

const now = 1_700_000_000_000;

describe('session state', () => {
  it('goes starting → ready, and says nothing while well inside the TTL', () => {
    let s: SessionState = { kind: 'idle' };
    s = nextState(s, { type: 'start' });
    expect(describeState(s, now)?.key).toBe('state.starting');
    s = nextState(s, { type: 'ready', expiresAt: now + 30 * 60_000 });
    expect(s.kind).toBe('ready');
    expect(describeState(s, now)).toBeUndefined();
  });

  it('offers to extend shortly before expiry, with the minutes left', () => {
    const s: SessionState = { kind: 'ready', expiresAt: now + 90_000 };
    const banner = describeState(s, now);
    expect(banner).toMatchObject({ key: 'state.expiring', action: 'extend', tone: 'warn' });
    expect(banner?.params.minutes).toBe(2);
    expect(describeState(s, now + 90_000 - EXPIRY_WARNING_MS - 1)).toBeUndefined();
  });

  it('extending moves the expiry and hides the warning', () => {
    const s = nextState(
      { kind: 'ready', expiresAt: now + 60_000 },
      { type: 'extended', expiresAt: now + 60 * 60_000 },
    );
    expect(describeState(s, now)).toBeUndefined();
  });

  it('expires when the clock passes expiresAt and offers a new sandbox', () => {
    const s = nextState({ kind: 'ready', expiresAt: now }, { type: 'tick', now: now + 1 });
    expect(s.kind).toBe('expired');
    expect(describeState(s, now)).toMatchObject({ key: 'state.expired', action: 'restart' });
  });

  it('shows reconnecting while the socket is down, and ready again after', () => {
    const ready: SessionState = { kind: 'ready', expiresAt: now + 3_600_000 };
    const down = nextState(ready, { type: 'disconnected' });
    expect(describeState(down, now)).toMatchObject({
      key: 'state.reconnecting',
      interactive: false,
    });
    expect(nextState(down, { type: 'connected' })).toEqual(ready);
  });

  it('counts down to the next try at capacity (503)', () => {
    const s = nextState({ kind: 'starting' }, { type: 'noCapacity', retryAt: now + 4_200 });
    expect(describeState(s, now)).toMatchObject({
      key: 'state.noCapacity',
      params: { seconds: 5 },
    });
  });

  it('says the disk is short, not the class full, when the server refuses for disk (503 disk_low)', () => {
    const s = nextState(
      { kind: 'starting' },
      { type: 'noCapacity', retryAt: now + 60_000, reason: 'disk' },
    );
    expect(describeState(s, now)).toMatchObject({ key: 'state.diskLow', params: { seconds: 60 } });
  });

  it('says why it failed and offers a retry', () => {
    const s = nextState({ kind: 'starting' }, { type: 'failed', message: 'boom' });
    expect(describeState(s, now)).toMatchObject({
      key: 'state.failed',
      params: { message: 'boom' },
      action: 'retry',
    });
  });

  it('keeps the expiry while preparing a step', () => {
    const s = nextState({ kind: 'ready', expiresAt: now + 5 }, { type: 'preparing' });
    expect(s).toEqual({ kind: 'preparing', expiresAt: now + 5 });
    expect(describeState(s, now)?.key).toBe('state.preparing');
  });
});
