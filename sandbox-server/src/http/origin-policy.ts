import os from 'node:os';

/**
 * Which origins may use this server, and so which `Host` headers it answers. Comparing against a
 * list, never against the request's own Host, is what stops DNS rebinding: a page on
 * `http://evil.example:4321` whose name now resolves to this server sends `Host:
 * evil.example:4321` and `Origin: http://evil.example:4321`, both of which match each other but
 * not the list.
 */
export class OriginPolicy {
  private readonly origins = new Set<string>();
  /** host (`name:port`, lower case, default port omitted) → whether it is served over https. */
  private readonly hosts = new Map<string, boolean>();

  constructor(origins: Iterable<string> = []) {
    this.allow(origins);
  }

  /** Add origins (already checked by `parseOrigins` or made by `listeningOrigins`). */
  allow(origins: Iterable<string>): void {
    for (const origin of origins) {
      const url = new URL(origin);
      this.origins.add(url.origin);
      const https = url.protocol === 'https:';
      // A name served both ways is treated as plain http: its cookies must still reach it.
      this.hosts.set(url.host, https && (this.hosts.get(url.host) ?? true));
    }
  }

  /** Every allowed origin, e.g. for the server's start-up message. */
  get list(): string[] {
    return [...this.origins];
  }

  allowsOrigin(origin: string): boolean {
    return this.origins.has(origin.toLowerCase());
  }

  /** Whether a request's `Host` header names this server. */
  allowsHost(host: string | undefined): boolean {
    return host !== undefined && this.hosts.has(normalHost(host));
  }

  /** Whether browsers reach `host` over https (behind a TLS proxy): its cookies get `Secure`. */
  isHttps(host: string | undefined): boolean {
    return host !== undefined && this.hosts.get(normalHost(host)) === true;
  }
}

/** `Host: Example.COM:80` names the same server as the origin `http://example.com`. */
function normalHost(host: string): string {
  return host.toLowerCase().replace(/:(80|443)$/, '');
}

/**
 * The origins in `--origin` / `HANDSON_ORIGINS` (comma-separated), normalised; a bad entry
 * throws an error saying what an origin looks like.
 *
 * @example
 * parseOrigins('https://course.example.com, http://10.0.0.5:4321')
 * // ['https://course.example.com', 'http://10.0.0.5:4321']
 */
export function parseOrigins(raw: string): string[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      let url: URL | undefined;
      try {
        url = new URL(entry);
      } catch {
        url = undefined;
      }
      const onlyOrigin =
        url &&
        ['http:', 'https:'].includes(url.protocol) &&
        url.pathname === '/' &&
        !entry.endsWith('//') &&
        url.search === '' &&
        url.hash === '' &&
        url.username === '' &&
        url.password === '';
      if (!url || !onlyOrigin) {
        throw new Error(
          `"${entry}" is not an origin: write a scheme, a name and a port only, e.g. https://course.example.com or http://10.0.0.5:4321.`,
        );
      }
      return url.origin;
    });
}

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The origins a server listening on `address:port` is reached at: loopback always, the address
 * itself, and every address of this machine when it listens on all of them (`0.0.0.0`, `::`),
 * so a LAN class works without configuration.
 *
 * @example
 * listeningOrigins('0.0.0.0', 4321) // ['http://127.0.0.1:4321', …, 'http://192.168.1.20:4321']
 */
export function listeningOrigins(address: string, port: number): string[] {
  const wildcard = address === '0.0.0.0' || address === '::' || address === '';
  const addresses = wildcard
    ? Object.values(os.networkInterfaces())
        .flat()
        .map((nic) => nic?.address)
        .filter((a): a is string => a !== undefined && !a.includes('%'))
    : [address];
  const names = [...LOOPBACK, ...addresses.map((a) => (a.includes(':') ? `[${a}]` : a))];
  return [...new Set(names.map((name) => new URL(`http://${name}:${port}`).origin))];
}
