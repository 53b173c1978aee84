import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, parseRetryAfter } from '../../../../site/src/client/api-client.ts';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function fakeFetch(respond: (seen: Seen) => Response) {
  const calls: Seen[] = [];
  const fetchImpl = async (url: string, init?: RequestInit) => {
    const seen: Seen = {
      url,
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body,
    };
    calls.push(seen);
    return respond(seen);
  };
  return { calls, fetchImpl };
}

const session = { id: 'abc', token: 'tok', expiresAt: '2030-01-01T00:00:00Z' };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('API client', () => {
  it('creates a session without a token and posts JSON', async () => {
    const { calls, fetchImpl } = fakeFetch(() => json(201, session));
    const api = new ApiClient('', fetchImpl);
    expect(await api.createSession({ lesson: 'images', lang: 'ja' })).toEqual(session);
    expect(calls[0]).toMatchObject({ url: '/api/sessions', method: 'POST' });
    expect(calls[0]!.headers.authorization).toBeUndefined();
    expect(JSON.parse(String(calls[0]!.body))).toEqual({ lesson: 'images', lang: 'ja' });
  });

  it('sends the bearer token on every session call', async () => {
    const { calls, fetchImpl } = fakeFetch(() => json(200, { passed: true, checks: [] }));
    const api = new ApiClient('', fetchImpl);
    await api.check(session, { lesson: 'images', step: 'pull', lang: 'en' });
    await api.goto(session, { lesson: 'images', step: 'tag' });
    await api.terminalTicket(session, { mode: 'write' });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /api/sessions/abc/check',
      'POST /api/sessions/abc/goto',
      'POST /api/sessions/abc/terminals',
    ]);
    for (const call of calls) expect(call.headers.authorization).toBe('Bearer tok');
  });

  it('turns {error:{code,message}} and Retry-After into an ApiError', async () => {
    const { fetchImpl } = fakeFetch(() =>
      json(
        503,
        { error: { code: 'capacity', message: 'all sandboxes busy' } },
        { 'retry-after': '7' },
      ),
    );
    const error = await new ApiClient('', fetchImpl).createSession({}).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, code: 'capacity', retryAfter: 7 });
    expect(error.message).toBe('all sandboxes busy');
  });

  it('reads a missing file as null and writes raw bodies under the workspace path', async () => {
    const { calls, fetchImpl } = fakeFetch((seen) =>
      seen.method === 'GET'
        ? new Response('nope', { status: 404 })
        : new Response(null, { status: 204 }),
    );
    const api = new ApiClient('', fetchImpl);
    expect(await api.readFile(session, 'app/Dockerfile')).toBeNull();
    await api.writeFile(session, 'app/Dockerfile', 'FROM busybox\n');
    expect(calls[1]).toMatchObject({
      method: 'PUT',
      url: '/api/sessions/abc/files/app/Dockerfile',
      body: 'FROM busybox\n',
    });
  });

  it('builds the ports proxy and WebSocket URLs', () => {
    const api = new ApiClient();
    expect(api.portUrl(session, 8080)).toBe('/api/sessions/abc/ports/8080/?token=tok');
    expect(api.terminalUrl(session, 't 1', new URL('https://example.test/en/lessons/x/'))).toBe(
      'wss://example.test/api/sessions/abc/terminal?ticket=t+1',
    );
  });

  it('reports a server that does not answer as a network error', async () => {
    const api = new ApiClient('', async () => {
      throw new TypeError('fetch failed');
    });
    await expect(api.getSession(session)).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('parses Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('3')).toBe(3);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 0)).toBe(10);
  });
});
