import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { appHarness } from '../server/app-harness.ts';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A loopback HTTP server standing in for the learner's nginx inside the sandbox. */
async function upstream(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('the ports proxy', () => {
  it('forwards the request path and query and streams the answer back', async () => {
    const { call, session } = appHarness();
    const s = await session();
    const seen: { url?: string; host?: string; auth?: string } = {};
    s.sandbox.ports.set(
      8080,
      await upstream((req, res) => {
        seen.url = req.url;
        seen.host = req.headers.host;
        seen.auth = req.headers.authorization;
        res.writeHead(200, { 'content-type': 'text/html', 'x-from': 'nginx' });
        res.write('<h1>Welcome');
        res.end(' to nginx!</h1>');
      }),
    );
    const res = await call(`/api/sessions/${s.id}/ports/8080/docs/index.html?x=1`, {
      token: s.token,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<h1>Welcome to nginx!</h1>');
    expect(res.headers.get('x-from')).toBe('nginx');
    expect(res.headers.get('content-security-policy')).toMatch(/^sandbox/);
    expect(seen).toEqual({ url: '/docs/index.html?x=1', host: '127.0.0.1:8080', auth: undefined });
  });

  it('passes status codes and request bodies through', async () => {
    const { call, session } = appHarness();
    const s = await session();
    s.sandbox.ports.set(
      3000,
      await upstream((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          res.writeHead(201);
          res.end(`got ${req.method} ${body}`);
        });
      }),
    );
    const res = await call(`/api/sessions/${s.id}/ports/3000/items`, {
      method: 'POST',
      token: s.token,
      body: 'abc',
    });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('got POST abc');
  });

  it('answers 502 with a clear message when nothing listens', async () => {
    const { call, session } = appHarness();
    const s = await session();
    const res = await call(`/api/sessions/${s.id}/ports/9999/`, { token: s.token });
    expect(res.status).toBe(502);
    expect((await res.json()).error).toMatchObject({
      code: 'nothing_listening',
      message: expect.stringContaining('Nothing answered on port 9999'),
    });
  });

  it('redirects a port without a trailing slash so relative links work', async () => {
    const { call, session } = appHarness();
    const s = await session();
    const res = await call(`/api/sessions/${s.id}/ports/8080?token=t`, { token: s.token });
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe(`/api/sessions/${s.id}/ports/8080/?token=t`);
  });

  it('lets a browser tab in with ?token= once, then by a cookie scoped to the session ports', async () => {
    const { call, session } = appHarness();
    const s = await session();
    const seen: (string | undefined)[] = [];
    s.sandbox.ports.set(
      80,
      await upstream((req, res) => {
        seen.push(req.url);
        res.end('ok');
      }),
    );
    expect((await call(`/api/sessions/${s.id}/ports/80/`)).status).toBe(401);
    const first = await call(`/api/sessions/${s.id}/ports/80/?token=${s.token}`);
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toContain(`Path=/api/sessions/${s.id}/ports/`);
    expect(cookie).toContain('HttpOnly');
    const next = await call(`/api/sessions/${s.id}/ports/80/style.css`, {
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(next.status).toBe(200);
    // The token never reaches the learner's server.
    expect(seen).toEqual(['/', '/style.css']);
  });
});
