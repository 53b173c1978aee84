import { readFileSync } from 'node:fs';

const FALLBACK = 'http://deb.debian.org/debian';

/**
 * The Debian mirror the host's apt already uses (the only one reachable from machines
 * like this), so debootstrap fetches from the same place as `apt-get`. Both the deb822
 * `debian.sources` and the one-line `sources.list` formats are read.
 *
 * @example
 * debianMirror() // 'http://deb.debian.org/debian'
 */
export function debianMirror(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HANDSON_DEBIAN_MIRROR) return env.HANDSON_DEBIAN_MIRROR;
  for (const file of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    const text = readOptional(file);
    const found = text && mirrorIn(text);
    if (found) return found;
  }
  return FALLBACK;
}

/** The first non-security Debian URI in an apt sources text (deb822 or one-line). */
export function mirrorIn(text: string): string | undefined {
  const uris = [
    ...[...text.matchAll(/^URIs:\s*(\S+)/gm)].map((m) => m[1]!),
    ...[...text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/gm)].map((m) => m[1]!),
  ];
  return uris.find((uri) => !uri.includes('security'));
}

function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
