import { describe, expect, it } from 'vitest';
import { debianMirror, mirrorIn } from '../../../sandbox-server/src/images/host-mirror.ts';

describe("the host's Debian mirror", () => {
  it('is read from deb822 sources, skipping the security archive', () => {
    const sources = [
      'Types: deb',
      'URIs: http://mirror.example/debian-security',
      'Suites: bookworm-security',
      '',
      'Types: deb',
      'URIs: http://mirror.example/debian',
      'Suites: bookworm bookworm-updates',
    ].join('\n');
    expect(mirrorIn(sources)).toBe('http://mirror.example/debian');
  });

  it('is read from one-line sources, with or without options', () => {
    expect(mirrorIn('deb [arch=amd64] http://ftp.jp.debian.org/debian bookworm main\n')).toBe(
      'http://ftp.jp.debian.org/debian',
    );
    expect(mirrorIn('# nothing here\n')).toBeUndefined();
  });

  it('can be set with HANDSON_DEBIAN_MIRROR', () => {
    expect(debianMirror({ HANDSON_DEBIAN_MIRROR: 'http://10.0.0.5/debian' })).toBe(
      'http://10.0.0.5/debian',
    );
  });
});
