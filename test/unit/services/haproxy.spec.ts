import { describe, expect, it } from 'vitest';
import { haproxyConfig } from '../../../sandbox-server/src/services/haproxy.ts';

describe('haproxyConfig', () => {
  const text = haproxyConfig({
    port: 8080,
    backends: [
      { name: 'replica-4400', port: 4400 },
      { name: 'replica-4401', port: 4401 },
    ],
  });

  it('listens on loopback only and forwards to every replica on loopback, health-checked', () => {
    expect(text).toMatch(/^\s*bind 127\.0\.0\.1:8080$/m);
    expect(text.match(/^\s*bind /gm)).toHaveLength(1);
    expect(text).toMatch(/^\s*server replica-4400 127\.0\.0\.1:4400 check$/m);
    expect(text).toMatch(/^\s*server replica-4401 127\.0\.0\.1:4401 check$/m);
    expect(text).toMatch(/http-check send meth GET uri \/healthz .*hdr Host 127\.0\.0\.1:8080/);
  });

  it('sticks a session to the replica that last answered for it, keyed by the id in the path', () => {
    expect(text).toMatch(/stick match path,field\(4,\/\) if \{ path_beg \/api\/sessions\/ \}/);
    expect(text).toMatch(/stick store-response res\.hdr\(x-handson-session\)/);
  });

  it('tells replicas the client address and keeps quiet WebSockets open', () => {
    expect(text).toMatch(/option forwardfor/);
    expect(text).toMatch(/timeout tunnel 1h/);
  });

  it('sends a request its dead replica never answered to a live one, only when twice is harmless', () => {
    expect(text).toMatch(/^\s*option redispatch 1$/m);
    expect(text).toMatch(/^\s*retry-on conn-failure empty-response$/m);
    const guard = text.match(/^\s*http-request disable-l7-retry unless (.*)$/m)?.[1] ?? '';
    expect(guard).toContain('METH_GET');
    const retried = new RegExp(guard.match(/path_reg (\S+)/)?.[1] ?? '^$');
    expect(retried.test('/api/sessions/abc123/check')).toBe(true);
    expect(retried.test('/api/sessions/abc123/terminals')).toBe(true);
    expect(retried.test('/api/sessions')).toBe(false);
    expect(retried.test('/api/workshops/join')).toBe(false);
    expect(retried.test('/api/sessions/abc123/reset')).toBe(false);
  });
});
