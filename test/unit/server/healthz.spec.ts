import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpCheck } from '../../../sandbox-server/src/server/healthz.ts';
import { appHarness } from './app-harness.ts';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(status: number): Promise<string> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status);
    res.end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/`;
}

describe('/healthz', () => {
  it('answers 200 when every dependency answers', async () => {
    const { call } = appHarness({
      health: [
        httpCheck('registry', { url: await serve(200) }),
        httpCheck('packages', { url: await serve(200) }),
      ],
    });
    const res = await call('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ok: true,
      checks: { registry: { ok: true }, packages: { ok: true } },
    });
  });

  it('answers 503 naming what does not answer and how to fix it', async () => {
    const { call } = appHarness({
      health: [
        httpCheck('registry', { url: await serve(500) }),
        httpCheck('engine', { url: 'http://engine/_ping', socketPath: '/nonexistent/docker.sock' }),
        httpCheck('packages', { url: await serve(204) }),
      ],
    });
    const res = await call('/healthz');
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.checks.packages).toEqual({ ok: true });
    expect(body.checks.registry.message).toMatch(/HTTP 500/);
    expect(body.checks.engine.message).toMatch(/nonexistent\/docker.sock/);
    expect(body.error.message).toMatch(/registry, engine.*handson doctor --fix/);
  });
});
