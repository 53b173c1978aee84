import { afterEach, describe, expect, it } from 'vitest';
import { leftovers } from '../sandbox/support.ts';
import { client, serverHarness } from './server-harness.ts';

let harness = serverHarness();
afterEach(async () => {
  await harness.dispose();
  harness = serverHarness();
});

const READY = { timeout: 90_000, interval: 250 };

describe('handson serve on the real sandbox engine', () => {
  it('create → ready → files round trip → ports proxy to a server inside → DELETE leaves nothing', async () => {
    const server = await harness.start();
    const api = client(server.url);
    const s = await api.create({ lang: 'en' });
    await expect.poll(async () => (await api.state(s)).state, READY).toBe('ready');

    const put = await api.call(`/api/sessions/${s.id}/files/site/index.html`, {
      method: 'PUT',
      token: s.token,
      body: 'hello from the workspace\n',
    });
    expect(put.status).toBe(204);
    const get = await api.call(`/api/sessions/${s.id}/files/site/index.html`, { token: s.token });
    expect(await get.text()).toBe('hello from the workspace\n');

    const sandbox = await server.manager.find(s.id)!.sandbox();
    const run = await sandbox.exec(
      [
        'sh',
        '-c',
        'docker run -d -p 8080:8080 -v /root/work/site:/www busybox httpd -f -p 8080 -h /www',
      ],
      { timeoutMs: 90_000 },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    await expect
      .poll(async () => {
        const res = await api.call(`/api/sessions/${s.id}/ports/8080/index.html`, {
          token: s.token,
        });
        return `${res.status} ${await res.text()}`;
      }, READY)
      .toBe('200 hello from the workspace\n');

    const nothing = await api.call(`/api/sessions/${s.id}/ports/9090/`, { token: s.token });
    expect(nothing.status).toBe(502);

    const del = await api.call(`/api/sessions/${s.id}`, { method: 'DELETE', token: s.token });
    expect(del.status).toBe(204);
    expect(await leftovers(harness.driver, sandbox.id)).toEqual([]);
    expect((await api.call(`/api/sessions/${s.id}`, { token: s.token })).status).toBe(404);
  });

  it('reaps a session idle past its timeout and removes its sandbox', async () => {
    const server = await harness.start({ settings: { idleMs: 3000, reapIntervalMs: 500 } });
    const api = client(server.url);
    const s = await api.create();
    await expect.poll(async () => (await api.state(s)).state, READY).toBe('ready');
    const sandboxId = server.manager.find(s.id)!.row.sandboxId!;
    await expect.poll(async () => (await api.state(s)).state, { timeout: 20_000 }).toBe('expired');
    expect((await api.state(s)).message).toMatch(/idle/);
    // The session says "expired" at once; its sandbox is removed right after.
    await expect.poll(() => leftovers(harness.driver, sandboxId), { timeout: 30_000 }).toEqual([]);
  });

  it('extend moves expiresAt later, and the TTL then ends the session at the new time', async () => {
    const server = await harness.start({ settings: { ttlMs: 20_000, reapIntervalMs: 500 } });
    const api = client(server.url);
    const s = await api.create();
    await expect.poll(async () => (await api.state(s)).state, READY).toBe('ready');
    const res = await api.call(`/api/sessions/${s.id}/extend`, { method: 'POST', token: s.token });
    const extended = Date.parse((await res.json()).expiresAt);
    expect(extended).toBeGreaterThan(Date.parse(s.expiresAt));
    await expect.poll(async () => (await api.state(s)).state, { timeout: 40_000 }).toBe('expired');
    expect(Date.now()).toBeGreaterThanOrEqual(extended);
  });

  it('a restarted server re-adopts the live session with its sandbox and files', async () => {
    const first = await harness.start();
    const api = client(first.url);
    const s = await api.create();
    await expect.poll(async () => (await api.state(s)).state, READY).toBe('ready');
    await api.call(`/api/sessions/${s.id}/files/notes.txt`, {
      method: 'PUT',
      token: s.token,
      body: 'kept',
    });
    const sandboxId = first.manager.find(s.id)!.row.sandboxId;
    await first.close();

    const second = await harness.start();
    expect(second.adoption.adopted).toEqual([s.id]);
    const again = client(second.url);
    expect(await again.state(s)).toMatchObject({ state: 'ready' });
    expect(second.manager.find(s.id)!.row.sandboxId).toBe(sandboxId);
    const file = await again.call(`/api/sessions/${s.id}/files/notes.txt`, { token: s.token });
    expect(await file.text()).toBe('kept');
  });

  it('answers 503 + Retry-After at capacity and 429 + Retry-After when one client asks too often', async () => {
    const server = await harness.start({
      settings: { maxSandboxes: 1, createBurst: 2, createPerMinute: 1 },
    });
    const api = client(server.url);
    await api.create();
    const full = await api.call('/api/sessions', { method: 'POST' });
    expect(full.status).toBe(503);
    expect(Number(full.headers.get('retry-after'))).toBeGreaterThan(0);
    const limited = await api.call('/api/sessions', { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('goto replays the earlier steps in a fresh sandbox, and only those', async () => {
    const server = await harness.start();
    const api = client(server.url);
    const s = await api.create({ lesson: 'three-files' });
    await expect.poll(async () => (await api.state(s)).state, READY).toBe('ready');
    const res = await api.call(`/api/sessions/${s.id}/goto`, {
      method: 'POST',
      token: s.token,
      body: JSON.stringify({ lesson: 'three-files', step: 'third' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      state: 'ready',
      lesson: 'three-files',
      step: 'third',
    });
    const read = async (f: string) => {
      const r = await api.call(`/api/sessions/${s.id}/files/${f}`, { token: s.token });
      return r.status === 200 ? (await r.text()).trim() : r.status;
    };
    expect([await read('one.txt'), await read('two.txt'), await read('three.txt')]).toEqual([
      'one',
      'two',
      404,
    ]);

    const unknown = await api.call(`/api/sessions/${s.id}/goto`, {
      method: 'POST',
      token: s.token,
      body: JSON.stringify({ lesson: 'three-files', step: 'fourth' }),
    });
    expect(unknown.status).toBe(404);
  });

  it('reports a sandbox whose engine died as failed, and reset brings a fresh one', async () => {
    const server = await harness.start();
    const api = client(server.url);
    const s = await api.create();
    await expect.poll(async () => (await api.state(s)).state, READY).toBe('ready');
    const sandboxId = server.manager.find(s.id)!.row.sandboxId!;
    await harness.driver.docker.getContainer(harness.driver.containerName(sandboxId)).kill();
    await expect.poll(async () => (await api.state(s)).state, { timeout: 20_000 }).toBe('failed');
    expect((await api.state(s)).message).toMatch(/not answering.*reset/);

    const reset = await api.call(`/api/sessions/${s.id}/reset`, { method: 'POST', token: s.token });
    expect(reset.status).toBe(200);
    expect(await reset.json()).toMatchObject({ state: 'ready' });
    expect(server.manager.find(s.id)!.row.sandboxId).not.toBe(sandboxId);
    await expect.poll(() => leftovers(harness.driver, sandboxId), { timeout: 30_000 }).toEqual([]);
  });
});
