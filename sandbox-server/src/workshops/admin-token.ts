import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HandsonConfig } from '../config.ts';

/**
 * The instructor's admin token: `HANDSON_ADMIN_TOKEN` when set, else generated once and kept in
 * `<HANDSON_HOME>/admin-token` (mode 0600), so a restarted server never locks the instructor out.
 */

export function adminTokenFile(cfg: HandsonConfig): string {
  return path.join(cfg.home, 'admin-token');
}

/**
 * The admin token, creating and storing one on first use.
 *
 * @example
 * const token = adminToken(loadConfig()); // same value after a restart
 */
export function adminToken(cfg: HandsonConfig, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.HANDSON_ADMIN_TOKEN?.trim();
  if (fromEnv) {
    if (fromEnv.length < 16) {
      throw new Error(
        'HANDSON_ADMIN_TOKEN is shorter than 16 characters; use a long random value (e.g. `openssl rand -hex 24`).',
      );
    }
    return fromEnv;
  }
  const file = adminTokenFile(cfg);
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = randomBytes(24).toString('base64url');
  mkdirSync(path.dirname(file), { recursive: true });
  // `wx`: two servers starting at once must not each write a different token.
  try {
    writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return adminToken(cfg, env);
    throw error;
  }
  return token;
}

/** Constant-time comparison, so the token cannot be guessed a character at a time. */
export function adminTokenMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}
