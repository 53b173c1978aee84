import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { PROXY_BODY_LIMIT } from '../../../sandbox-server/src/sessions/port-proxy.ts';
import { appHarness } from '../server/app-harness.ts';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) s.closeAllConnections();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(server: http.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** The harness app on a real socket, as `handson serve` runs it. */
async function served() {
  const harness = appHarness();
  const port = await listen(createAdaptorServer({ fetch: harness.app.fetch }) as http.Server);
  // The server answers only for its own names: this one is reached at its loopback port.
  harness.origins.allow([`http://127.0.0.1:${port}`]);
  return { ...harness, url: `http://127.0.0.1:${port}`, port };
}

describe('the ports proxy against a hostile learner service', () => {
  it('strips Set-Cookie, Clear-Site-Data and Service-Worker-Allowed from the answer', async () => {
    const { call, session } = appHarness();
    const s = await session();
    s.sandbox.ports.set(
      8080,
      await listen(
        http.createServer((_req, res) => {
          res.setHeader('set-cookie', ['handson_learner=stolen; Path=/', 'other=1']);
          res.setHeader('clear-site-data', '"*"');
          res.setHeader('service-worker-allowed', '/');
          res.setHeader('x-kept', 'yes');
          res.end('page');
        }),
      ),
    );
    const res = await call(`/api/sessions/${s.id}/ports/8080/`, { token: s.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('clear-site-data')).toBeNull();
    expect(res.headers.get('service-worker-allowed')).toBeNull();
    expect(res.headers.get('x-kept')).toBe('yes');
  });

  it("never passes the learner's token on: not the query, not a cookie, not a header", async () => {
    const { call, session } = appHarness();
    const s = await session();
    const seen: http.IncomingHttpHeaders[] = [];
    const urls: string[] = [];
    s.sandbox.ports.set(
      8080,
      await listen(
        http.createServer((req, res) => {
          seen.push(req.headers);
          urls.push(req.url ?? '');
          res.end('ok');
        }),
      ),
    );
    await call(`/api/sessions/${s.id}/ports/8080/a?token=${s.token}&x=1`, {
      headers: { cookie: `handson_ports_${s.id}=${s.token}; theirs=1` },
    });
    await call(`/api/sessions/${s.id}/ports/8080/b`, { token: s.token });
    expect(urls).toEqual(['/a?x=1', '/b']);
    expect(JSON.stringify(seen)).not.toContain(s.token);
  });

  it(`answers 413 to a body over ${PROXY_BODY_LIMIT} bytes, declared or streamed`, async () => {
    const { url, session } = await served();
    const s = await session();
    let received = 0;
    s.sandbox.ports.set(
      3000,
      await listen(
        http.createServer((req, res) => {
          req.on('data', (c: Buffer) => {
            received += c.length;
          });
          req.on('end', () => res.end('stored'));
          req.on('error', () => undefined);
        }),
      ),
    );
    const target = `${url}/api/sessions/${s.id}/ports/3000/upload`;
    const auth = { authorization: `Bearer ${s.token}` };
    const declared = await fetch(target, {
      method: 'POST',
      headers: auth,
      body: new Uint8Array(PROXY_BODY_LIMIT + 1),
    });
    expect(declared.status).toBe(413);
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.length;
        if (sent > 4 * PROXY_BODY_LIMIT) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = await fetch(target, {
      method: 'POST',
      headers: auth,
      body: endless,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ error: { code: 'too_large' } });
    expect(received).toBeLessThanOrEqual(PROXY_BODY_LIMIT + chunk.length);
  });

  it('survives an upload aborted halfway and a service that resets mid-answer', async () => {
    const { url, port, session } = await served();
    const s = await session();
    s.sandbox.ports.set(
      3000,
      await listen(
        http.createServer((req, res) => {
          req.on('error', () => undefined);
          if (req.url === '/reset') {
            res.writeHead(200, { 'content-type': 'text/plain' });
            res.write('half');
            setImmediate(() => res.socket?.destroy());
            return;
          }
          req.resume();
          req.on('end', () => res.end('stored'));
        }),
      ),
    );
    // A raw client that announces a chunked upload, sends part of it, and hangs up.
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(
          [
            `POST /api/sessions/${s.id}/ports/3000/upload HTTP/1.1`,
            `Host: 127.0.0.1:${port}`,
            `Authorization: Bearer ${s.token}`,
            'Transfer-Encoding: chunked',
            '',
            '400',
            'x'.repeat(512),
          ].join('\r\n'),
        );
        setImmediate(() => {
          socket.destroy();
          resolve();
        });
      });
      socket.on('error', () => resolve());
    });
    const cut = await fetch(`${url}/api/sessions/${s.id}/ports/3000/reset`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    await cut.text().catch(() => 'cut short');
    // Still serving.
    const after = await fetch(`${url}/api/sessions/${s.id}/ports/3000/ok`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    expect(after.status).toBe(200);
    expect(await after.text()).toBe('stored');
  });
});
