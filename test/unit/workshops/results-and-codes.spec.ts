import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOIN_CODE_ALPHABET } from '#contracts/workshop.ts';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import {
  adminToken,
  adminTokenFile,
  adminTokenMatches,
} from '../../../sandbox-server/src/workshops/admin-token.ts';
import { newJoinCode } from '../../../sandbox-server/src/workshops/join-code.ts';
import { csvField } from '../../../sandbox-server/src/workshops/results-csv.ts';

describe('join codes', () => {
  it('are eight characters without look-alikes, and skip codes already taken', async () => {
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[01OIL]/);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const code = await newJoinCode((c) => seen.has(c));
      expect(code).toMatch(/^[2-9A-HJ-KM-NP-Z]{8}$/);
      expect(seen.has(code)).toBe(false);
      seen.add(code);
    }
  });

  it('give up with a clear error when every code is taken', async () => {
    await expect(newJoinCode(() => true)).rejects.toThrow(/free join code/);
  });
});

describe('CSV fields', () => {
  it('quotes commas, quotes and newlines, and neutralises spreadsheet formulas', () => {
    expect(csvField('Aki')).toBe('Aki');
    expect(csvField('山田, 花子')).toBe('"山田, 花子"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField(3)).toBe('3');
  });
});

describe('the admin token', () => {
  it('is generated once, kept in a 0600 file, and the same after a restart', () => {
    const cfg = loadConfig({ HANDSON_HOME: mkdtempSync(path.join(tmpdir(), 'handson-admin-')) });
    const first = adminToken(cfg, {});
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(adminToken(cfg, {})).toBe(first);
    expect(statSync(adminTokenFile(cfg)).mode & 0o777).toBe(0o600);
  });

  it('comes from HANDSON_ADMIN_TOKEN when set, which must be long enough', () => {
    const cfg = loadConfig({ HANDSON_HOME: mkdtempSync(path.join(tmpdir(), 'handson-admin-')) });
    expect(adminToken(cfg, { HANDSON_ADMIN_TOKEN: 'a-long-enough-admin-token' })).toBe(
      'a-long-enough-admin-token',
    );
    expect(() => adminToken(cfg, { HANDSON_ADMIN_TOKEN: 'short' })).toThrow(/16 characters/);
  });

  it('matches only itself', () => {
    expect(adminTokenMatches('secret-token-value', 'secret-token-value')).toBe(true);
    expect(adminTokenMatches('secret-token-value', 'secret-token-valuf')).toBe(false);
    expect(adminTokenMatches('secret-token-value', undefined)).toBe(false);
  });
});
