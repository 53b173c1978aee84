import { describe, expect, it } from 'vitest';
import { requestTicket } from '../../../sandbox-server/src/bench/hostile/live-terminal.ts';
import { rawHttp } from '../../../sandbox-server/src/bench/hostile/raw-http.ts';
import { HTTP_SERVER_OPTIONS } from '../../../sandbox-server/src/http/connection-timeouts.ts';
import { WsTerminal } from '../terminal/support/ws-terminal.ts';
import { servedSession } from './served-session.ts';

// Slow-loris clients against a real `handson serve`: a request that never finishes is cut off
// by the server (Node's defaults held it for up to 90 s, or 5½ min with a declared body),
// while everyone else is served and an open terminal, which is no longer a request, lives on.
describe('requests that never finish', () => {
  const served = servedSession();
  const SLACK_MS = 10_000;

  it('are closed by the server while others are answered and terminals stay open', async () => {
    const session = served.session();
    const url = new URL(session.url);
    const stall = (request: string, timeoutMs: number) =>
      rawHttp(url.hostname, Number(url.port), Buffer.from(request, 'latin1'), {
        ending: 'hold',
        timeoutMs,
      });
    // Opened first, so it has been open longer than the request timeout by the end.
    const terminal = await WsTerminal.connect(
      url.host,
      session.id,
      await requestTicket(session, 'write'),
      { origin: url.origin },
    );
    const [headers, body] = await Promise.all([
      stall(
        `GET /healthz HTTP/1.1\r\nHost: ${url.host}\r\nX-Slow: a`,
        HTTP_SERVER_OPTIONS.headersTimeout + SLACK_MS,
      ),
      stall(
        `PUT /api/sessions/${session.id}/files/slow.txt HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${session.token}\r\nContent-Length: 1000000\r\n\r\npartial`,
        HTTP_SERVER_OPTIONS.requestTimeout + SLACK_MS,
      ),
      (async () => {
        const res = await fetch(`${session.url}/api/sessions/${session.id}`, {
          headers: { authorization: `Bearer ${session.token}` },
        });
        expect(res.status).toBe(200);
      })(),
    ]);
    expect(headers).toMatchObject({ closed: true, statuses: [408] });
    expect(body.closed).toBe(true);
    expect(body.statuses.every((status) => status < 500)).toBe(true);
    terminal.type('echo still-$((6*7))\r');
    await terminal.waitForText(/^still-42$/m, 30_000);
    await terminal.close();
  }, 120_000);
});
