import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  addressKey,
  clientAddress,
  forwardedClient,
  forwardedFor,
  parseTrustedProxies,
} from '../../../sandbox-server/src/http/client-address.ts';

describe('addressKey', () => {
  it('keys every IPv6 address of one /64 the same, and other /64s apart', () => {
    const a = addressKey('2001:db8:1:2:aaaa:bbbb:cccc:1');
    expect(a).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::dead:beef')).toBe(a);
    expect(addressKey('2001:DB8:1:2:0:0:0:9')).toBe(a);
    expect(addressKey('2001:db8:1:3::1')).not.toBe(a);
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('keeps IPv4 addresses whole, also when mapped into IPv6', () => {
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('192.0.2.8')).not.toBe(addressKey('192.0.2.7'));
  });

  it('passes anything else through unchanged', () => {
    expect(addressKey('unknown')).toBe('unknown');
  });
});

describe('forwardedFor', () => {
  const lb = new Set(['127.0.0.1']);

  it('names the address the trusted proxy appended, not what the client wrote left of it', () => {
    expect(forwardedFor('203.0.113.9', lb)).toBe('203.0.113.9');
    expect(forwardedFor('1.2.3.4, 203.0.113.9', lb)).toBe('203.0.113.9');
    expect(forwardedFor('203.0.113.9, 127.0.0.1', lb)).toBe('203.0.113.9');
  });

  it('keys a forwarded IPv6 client by its /64, like a direct one', () => {
    expect(forwardedFor('2001:db8:1:2::99', lb)).toBe('2001:db8:1:2::/64');
  });

  it('reads nothing from a header whose last entry is not an address', () => {
    expect(forwardedFor('203.0.113.9, evil', lb)).toBeUndefined();
    expect(forwardedFor('', lb)).toBeUndefined();
    expect(forwardedFor('x'.repeat(100_000), lb)).toBeUndefined();
  });
});

describe('parseTrustedProxies', () => {
  it('keys addresses as the limits do, and refuses what is not an address', () => {
    expect(parseTrustedProxies(' 127.0.0.1, ::ffff:10.0.0.1 ,')).toEqual(
      new Set(['127.0.0.1', '10.0.0.1']),
    );
    expect(parseTrustedProxies('')).toEqual(new Set());
    expect(() => parseTrustedProxies('127.0.0.0/8')).toThrow(/not an IP address/);
  });
});

describe('forwardedClient', () => {
  function appSeeing(trusted: Set<string>) {
    const app = new Hono();
    app.use('*', forwardedClient(trusted));
    app.get('/who', (c) => c.text(clientAddress(c)));
    return async (peer: string, xff?: string) => {
      const socket = { remoteAddress: peer, remotePort: 1, remoteFamily: 'IPv4' };
      const headers: Record<string, string> = xff ? { 'x-forwarded-for': xff } : {};
      const res = await app.request('/who', { headers }, { incoming: { socket } });
      return res.text();
    };
  }

  it('believes X-Forwarded-For from a trusted proxy only', async () => {
    const who = appSeeing(new Set(['127.0.0.1']));
    expect(await who('127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    expect(await who('198.51.100.4', '203.0.113.9')).toBe('198.51.100.4');
    expect(await who('127.0.0.1')).toBe('127.0.0.1');
  });

  it('ignores the header when no proxy is trusted', async () => {
    const who = appSeeing(new Set());
    expect(await who('127.0.0.1', '203.0.113.9')).toBe('127.0.0.1');
  });
});
