import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listeningUrl,
  type ServeProcess,
  serveDir,
  spawnServe,
  stopServe,
} from './serve-process.ts';

const UPGRADE = [
  'Connection: Upgrade',
  'Upgrade: websocket',
  'Sec-WebSocket-Version: 13',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
];

// The requests that once ended the whole class, sent to a real `handson serve` process.
describe('handson serve under requests that once crashed it', () => {
  const { dir, remove } = serveDir();
  let serve: ServeProcess;
  let url: URL;

  /** Send raw request lines; resolve with the status line of the answer. */
  const raw = (lines: string[], opts: { reset?: boolean } = {}) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname);
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk.toString('latin1');
      });
      socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
      socket.on('error', (error) => (opts.reset ? resolve('reset') : reject(error)));
      socket.write([...lines, '', ''].join('\r\n'), () => {
        if (opts.reset) socket.resetAndDestroy();
      });
    });
  const host = () => `Host: ${url.host}`;

  beforeAll(async () => {
    serve = spawnServe(dir);
    url = new URL(await listeningUrl(serve));
  });
  afterAll(async () => {
    await stopServe(serve);
    remove();
  });

  it('answers each with an HTTP error and keeps serving everyone else', async () => {
    const answers = {
      upgradeBadEscape: await raw(['GET /api/sessions/%zz/terminal HTTP/1.1', host(), ...UPGRADE]),
      upgradeDoubleSlash: await raw(['GET // HTTP/1.1', host(), ...UPGRADE]),
      upgradeElsewhere: await raw(['GET /nowhere HTTP/1.1', host(), ...UPGRADE]),
      upgradeRebinding: await raw([
        'GET /api/sessions/x/terminal?ticket=t HTTP/1.1',
        `Host: evil.example:${url.port}`,
        `Origin: http://evil.example:${url.port}`,
        ...UPGRADE,
      ]),
      plainDoubleSlash: await raw(['GET // HTTP/1.1', host(), 'Connection: close']),
      plainBadEscape: await raw(['GET /%zz HTTP/1.1', host(), 'Connection: close']),
      plainApiBadEscape: await raw(['GET /api/sessions/%zz HTTP/1.1', host(), 'Connection: close']),
      plainForeignHost: await raw(['GET / HTTP/1.1', 'Host: evil.example', 'Connection: close']),
    };
    expect(answers).toEqual({
      upgradeBadEscape: 'HTTP/1.1 400 Bad Request',
      upgradeDoubleSlash: 'HTTP/1.1 400 Bad Request',
      upgradeElsewhere: 'HTTP/1.1 404 Not Found',
      upgradeRebinding: 'HTTP/1.1 421 Misdirected Request',
      plainDoubleSlash: 'HTTP/1.1 404 Not Found',
      plainBadEscape: 'HTTP/1.1 404 Not Found',
      plainApiBadEscape: expect.stringMatching(/^HTTP\/1\.1 (400|401|404) /),
      plainForeignHost: 'HTTP/1.1 421 Misdirected Request',
    });
    // An unmatched upgrade whose client resets before the answer.
    for (let i = 0; i < 20; i++) {
      await raw(['GET /nowhere/%zz HTTP/1.1', host(), ...UPGRADE], { reset: true });
    }
    expect(serve.child.exitCode).toBeNull();
    expect((await fetch(`${url.origin}/healthz`)).status).toBe(200);
    expect(serve.stderr()).not.toMatch(/uncaught exception|unhandled rejection/);
  });
});
