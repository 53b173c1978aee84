import { describe, expect, it } from 'vitest';
import { appHarness } from '../server/app-harness.ts';

describe('workspace file routes', () => {
  it('round-trips a file body byte for byte', async () => {
    const { call, session } = appHarness();
    const s = await session();
    const body = new Uint8Array([0, 1, 2, 255, 10]);
    const put = await call(`/api/sessions/${s.id}/files/app/Dockerfile`, {
      method: 'PUT',
      token: s.token,
      body,
    });
    expect(put.status).toBe(204);
    expect(s.sandbox.files.get('app/Dockerfile')).toEqual(Buffer.from(body));
    const get = await call(`/api/sessions/${s.id}/files/app/Dockerfile`, { token: s.token });
    expect(get.status).toBe(200);
    expect(new Uint8Array(await get.arrayBuffer())).toEqual(body);
  });

  it('answers 404 for a file that does not exist', async () => {
    const { call, session } = appHarness();
    const s = await session();
    const res = await call(`/api/sessions/${s.id}/files/missing.txt`, { token: s.token });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('file_not_found');
  });

  it('refuses ".." and absolute paths', async () => {
    const { call, session } = appHarness();
    const s = await session();
    for (const path of ['..%2Fetc%2Fpasswd', 'a%2F..%2F..%2Fb', '%2Fetc%2Fpasswd']) {
      const res = await call(`/api/sessions/${s.id}/files/${path}`, { token: s.token });
      expect(res.status, path).toBe(400);
      expect((await res.json()).error.code).toBe('bad_path');
    }
    // Plain and dot-encoded ".." segments are resolved by URL parsing before routing: they
    // never reach the files route at all.
    const dotted = await call(`/api/sessions/${s.id}/files/a/%2E%2E/%2E%2E/%2E%2E/x`, {
      token: s.token,
    });
    expect(dotted.status).toBe(404);
    expect(s.sandbox.files.size).toBe(0);
  });

  it('accepts names with spaces and percent signs', async () => {
    const { call, session } = appHarness();
    const s = await session();
    await call(`/api/sessions/${s.id}/files/my%20notes%25.txt`, {
      method: 'PUT',
      token: s.token,
      body: 'hi',
    });
    expect([...s.sandbox.files.keys()]).toEqual(['my notes%.txt']);
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const { call, session } = appHarness();
    const s = await session();
    const res = await call(`/api/sessions/${s.id}/files/big.bin`, {
      method: 'PUT',
      token: s.token,
      body: new Uint8Array(1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
    expect(s.sandbox.files.size).toBe(0);
  });

  it('needs the bearer token', async () => {
    const { call, session } = appHarness();
    const s = await session();
    expect((await call(`/api/sessions/${s.id}/files/a.txt`)).status).toBe(401);
    expect(
      (await call(`/api/sessions/${s.id}/files/a.txt`, { method: 'PUT', body: 'x' })).status,
    ).toBe(401);
  });
});

describe('reading a file too big for the editor', () => {
  it('answers 413 too_large, as the dind driver reports it, instead of a 500', async () => {
    const { call, session } = appHarness();
    const s = await session();
    s.sandbox.readFile = async () => {
      throw Object.assign(new Error('big.bin is larger than 1 MiB'), { code: 'EFBIG' });
    };
    const res = await call(`/api/sessions/${s.id}/files/big.bin`, { token: s.token });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      error: { code: 'too_large', message: expect.stringContaining('1 MiB') },
    });
  });
});
