import { describe, expect, it } from 'vitest';
import { etcHosts } from '../../../../sandbox-server/src/sandbox/dind/etc-hosts.ts';

describe('sandbox /etc/hosts', () => {
  it('resolves localhost, and the sandbox’s own name once it has an address', () => {
    expect(etcHosts('handson')).not.toContain('handson');
    const lines = etcHosts('handson', '10.78.0.2').trimEnd().split('\n');
    expect(lines).toContain('127.0.0.1\tlocalhost');
    expect(lines.some((l) => l.startsWith('::1\tlocalhost'))).toBe(true);
    expect(lines.at(-1)).toBe('10.78.0.2\thandson');
  });
});
