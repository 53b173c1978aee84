import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listeningOrigins, OriginPolicy } from '../../../sandbox-server/src/http/origin-policy.ts';
import { SessionManager } from '../../../sandbox-server/src/sessions/session-manager.ts';
import { loadSessionSettings } from '../../../sandbox-server/src/sessions/settings.ts';
import { openSqlite } from '../../../sandbox-server/src/store/sqlite/open-sqlite.ts';
import { SqliteSessionRepository } from '../../../sandbox-server/src/store/sqlite/sqlite-session-repository.ts';
import { TerminalHub } from '../../../sandbox-server/src/terminal/terminal-hub.ts';
import {
  attachTerminalWebSocket,
  parseUpgradeTarget,
} from '../../../sandbox-server/src/terminal/terminal-socket.ts';
import { FakeDriver } from '../sessions/fake-driver.ts';

const UPGRADE_HEADERS = [
  'Connection: Upgrade',
  'Upgrade: websocket',
  'Sec-WebSocket-Version: 13',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
];

let server: http.Server;
let port: number;
let stop: () => Promise<void>;

/** Send a raw upgrade request and read everything the server answers until it closes. */
function rawUpgrade(
  target: string,
  headers: { host?: string; origin?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(
      [
        `GET ${target} HTTP/1.1`,
        `Host: ${headers.host ?? `127.0.0.1:${port}`}`,
        ...(headers.origin ? [`Origin: ${headers.origin}`] : []),
        ...UPGRADE_HEADERS,
        '',
        '',
      ].join('\r\n'),
    );
  });
}

beforeAll(async () => {
  const manager = new SessionManager({
    driver: new FakeDriver(),
    repo: new SqliteSessionRepository(openSqlite(':memory:')),
    settings: loadSessionSettings({}),
    capacity: 1,
    replay: async () => {},
  });
  const ctx = {
    sessions: manager,
    terminals: new TerminalHub(manager),
    origins: new OriginPolicy(),
  };
  server = http.createServer((_req, res) => res.end('plain http'));
  stop = attachTerminalWebSocket(server, ctx);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  ctx.origins.allow(listeningOrigins('127.0.0.1', port));
});
afterAll(async () => {
  await stop();
  await new Promise((resolve) => server.close(resolve));
});

describe('terminal upgrades from a hostile client', () => {
  it('answers a malformed escape in the session id with 400 and keeps serving', async () => {
    const answer = await rawUpgrade('/api/sessions/%zz/terminal');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":"bad_request"');
    expect(await rawUpgrade('/api/sessions/abc/terminal?ticket=nope')).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('answers a URL that does not parse (//) with 400', async () => {
    expect(await rawUpgrade('//')).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('answers an upgrade to any other path with 404 and closes it', async () => {
    expect(await rawUpgrade('/somewhere/else')).toMatch(/^HTTP\/1\.1 404 /);
  });

  it('survives a client that resets the socket mid-handshake', async () => {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      ['GET /api/sessions/%zz/terminal HTTP/1.1', ...UPGRADE_HEADERS, '', ''].join('\r\n'),
    );
    socket.resetAndDestroy();
    expect(await rawUpgrade('/api/sessions/x/terminal?ticket=t')).toMatch(/^HTTP\/1\.1 401 /);
  });
});

describe('terminal upgrades from another origin', () => {
  it('refuses a foreign Origin with 403 before the ticket is looked at', async () => {
    const answer = await rawUpgrade('/api/sessions/abc/terminal?ticket=nope', {
      origin: 'http://evil.example',
    });
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(answer).toContain('"code":"forbidden_origin"');
  });

  it('refuses a DNS-rebinding page (its Host and Origin agree, but name another server) with 421', async () => {
    const answer = await rawUpgrade('/api/sessions/abc/terminal?ticket=nope', {
      host: `evil.example:${port}`,
      origin: `http://evil.example:${port}`,
    });
    expect(answer).toMatch(/^HTTP\/1\.1 421 /);
    expect(answer).toContain('"code":"misdirected"');
  });

  it('lets the server’s own origins through to the ticket check', async () => {
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      const answer = await rawUpgrade('/api/sessions/abc/terminal?ticket=nope', { origin });
      expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    }
  });
});

describe('parseUpgradeTarget', () => {
  it('reads the session id and ticket of a terminal URL', () => {
    expect(parseUpgradeTarget('/api/sessions/a%20b/terminal?ticket=t1')).toEqual({
      sessionId: 'a b',
      ticket: 't1',
    });
  });

  it('says malformed for escapes and URLs that do not parse, nothing for other paths', () => {
    expect(parseUpgradeTarget('/api/sessions/%zz/terminal')).toBe('malformed');
    expect(parseUpgradeTarget('//')).toBe('malformed');
    expect(parseUpgradeTarget('/api/sessions/x/other')).toBeUndefined();
  });
});
