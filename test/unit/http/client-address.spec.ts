import { describe, expect, it } from 'vitest';
import { addressKey } from '../../../sandbox-server/src/http/client-address.ts';

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
