import { describe, expect, it } from 'vitest';
import {
  listeningOrigins,
  OriginPolicy,
  parseOrigins,
} from '../../../sandbox-server/src/http/origin-policy.ts';
import { appHarness } from './app-harness.ts';

describe('origin policy', () => {
  it('allows the origins it was given and the Host names they imply, nothing else', () => {
    const policy = new OriginPolicy(['http://10.0.0.5:4321', 'https://course.example.com']);
    expect(policy.allowsOrigin('http://10.0.0.5:4321')).toBe(true);
    expect(policy.allowsOrigin('https://COURSE.example.com')).toBe(true);
    expect(policy.allowsOrigin('http://course.example.com')).toBe(false);
    expect(policy.allowsHost('10.0.0.5:4321')).toBe(true);
    expect(policy.allowsHost('course.example.com')).toBe(true);
    expect(policy.allowsHost('course.example.com:443')).toBe(true);
    expect(policy.allowsHost('evil.example:4321')).toBe(false);
    expect(policy.allowsHost(undefined)).toBe(false);
  });

  it('knows which names browsers reach over https', () => {
    const policy = new OriginPolicy(['http://127.0.0.1:4321', 'https://course.example.com']);
    expect(policy.isHttps('course.example.com')).toBe(true);
    expect(policy.isHttps('127.0.0.1:4321')).toBe(false);
  });

  it('parses a comma-separated list and names a bad entry', () => {
    expect(parseOrigins(' https://Course.example.com/, http://10.0.0.5:4321 ,')).toEqual([
      'https://course.example.com',
      'http://10.0.0.5:4321',
    ]);
    for (const bad of ['course.example.com', 'ftp://x', 'https://x/path', 'http://u:p@x']) {
      expect(() => parseOrigins(bad)).toThrow(/is not an origin.*https:\/\/course\.example\.com/);
    }
  });

  it('defaults to loopback and the listening address; every address for 0.0.0.0', () => {
    expect(listeningOrigins('127.0.0.1', 4321)).toEqual([
      'http://127.0.0.1:4321',
      'http://localhost:4321',
      'http://[::1]:4321',
    ]);
    expect(listeningOrigins('10.0.0.5', 80)).toContain('http://10.0.0.5');
    expect(listeningOrigins('0.0.0.0', 4321)).toEqual(
      expect.arrayContaining(['http://127.0.0.1:4321', 'http://localhost:4321']),
    );
  });
});

describe('host guard', () => {
  it('answers 421 on every route to a Host the server does not go by', async () => {
    const { call } = appHarness();
    for (const [method, path] of [
      ['GET', '/healthz'],
      ['POST', '/api/sessions'],
      ['GET', '/'],
      ['GET', '/api/nothing'],
    ] as const) {
      const res = await call(path, { method, headers: { host: 'evil.example:4321' } });
      expect(res.status).toBe(421);
      expect(await res.json()).toMatchObject({ error: { code: 'misdirected' } });
    }
    expect((await call('/healthz')).status).toBe(200);
  });

  it('marks cookies Secure for a name browsers reach over https (behind a TLS proxy) only', async () => {
    const { call } = appHarness({ origins: ['https://course.example.com'] });
    const proxied = await call('/api/sessions', {
      method: 'POST',
      headers: { host: 'course.example.com' },
    });
    expect(proxied.status).toBe(201);
    expect(proxied.headers.get('set-cookie')).toMatch(/handson_learner=.*; Secure$/);
    const local = await call('/api/sessions', { method: 'POST' });
    expect(local.headers.get('set-cookie')).toMatch(/handson_learner=/);
    expect(local.headers.get('set-cookie')).not.toMatch(/Secure/);
  });
});
