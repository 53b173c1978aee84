import { describe, expect, it } from 'vitest';
import {
  hashToken,
  newSessionId,
  newToken,
  tokenMatches,
} from '../../../sandbox-server/src/sessions/token.ts';

describe('session tokens', () => {
  it('hashes with sha256 (hex)', () => {
    expect(hashToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('matches only the token that was hashed', () => {
    const token = newToken();
    const stored = hashToken(token);
    expect(tokenMatches(token, stored)).toBe(true);
    expect(tokenMatches(`${token}x`, stored)).toBe(false);
    expect(tokenMatches(token, 'not-hex')).toBe(false);
  });

  it('makes unguessable tokens and container-safe ids', () => {
    const tokens = new Set(Array.from({ length: 100 }, newToken));
    expect(tokens.size).toBe(100);
    expect(newToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSessionId()).toMatch(/^[0-9a-f]{20}$/);
  });
});
