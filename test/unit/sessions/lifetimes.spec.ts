import { describe, expect, it } from 'vitest';
import {
  endsAt,
  expiryReason,
  extended,
  idleExpiresAt,
} from '../../../sandbox-server/src/sessions/lifetimes.ts';
import { loadSessionSettings } from '../../../sandbox-server/src/sessions/settings.ts';

describe('session lifetimes', () => {
  const clocks = { expiresAt: 7200, lastActivityAt: 1000 };

  it('ends idle sessions at last activity + idle timeout', () => {
    expect(idleExpiresAt(clocks, 1800)).toBe(2800);
    expect(expiryReason(clocks, 1800, 2799)).toBeUndefined();
    expect(expiryReason(clocks, 1800, 2800)).toBe('idle');
  });

  it('ends every session at its TTL, however active', () => {
    expect(expiryReason({ expiresAt: 7200, lastActivityAt: 7199 }, 1800, 7200)).toBe('ttl');
  });

  it('ends at the earlier clock', () => {
    expect(endsAt(clocks, 1800)).toBe(2800);
    expect(endsAt(clocks, 9000)).toBe(7200);
  });

  it('extends to a full TTL from now, never earlier, and counts as activity', () => {
    expect(extended(clocks, 7200, 5000)).toEqual({ expiresAt: 12200, lastActivityAt: 5000 });
    expect(extended({ expiresAt: 99999, lastActivityAt: 0 }, 10, 5000).expiresAt).toBe(99999);
  });

  it('defaults to 2 h TTL and 30 min idle, and reads overrides from the environment', () => {
    expect(loadSessionSettings({})).toMatchObject({ ttlMs: 7_200_000, idleMs: 1_800_000 });
    const s = loadSessionSettings({ HANDSON_SESSION_TTL: '4', HANDSON_IDLE_TIMEOUT: '2' });
    expect(s).toMatchObject({ ttlMs: 4000, idleMs: 2000, reapIntervalMs: 500 });
  });

  it('refuses settings that are not positive numbers, naming the variable', () => {
    expect(() => loadSessionSettings({ HANDSON_SESSION_TTL: 'soon' })).toThrow(
      /HANDSON_SESSION_TTL=soon/,
    );
  });
});
