import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appHarness } from './app-harness.ts';

// Random methods, paths, headers and bodies against every route of the real app (over a fake
// driver): no request may get a 5xx or throw past the app. Fixed seed, bounded run.

const ROUTES = [
  '/api/sessions',
  '/api/sessions/:id',
  '/api/sessions/:id/reset',
  '/api/sessions/:id/extend',
  '/api/sessions/:id/goto',
  '/api/sessions/:id/terminals',
  '/api/sessions/:id/terminal',
  '/api/sessions/:id/check',
  '/api/sessions/:id/files/:rest',
  '/api/sessions/:id/ports/:port/:rest',
  '/api/progress',
  '/api/workshops',
  '/api/workshops/:id/learners',
  '/api/workshops/join',
  '/healthz',
  '/',
  '/en/lessons/:id/',
  '/:rest',
];

const nasty = fc.oneof(
  fc.constantFrom('%zz', '%', '%2e%2e', '..', '%2F', '//', '%00', 'é', '%E3%81', '~', ';', '.'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.string({ minLength: 2000, maxLength: 9000 }).map(encodeURIComponent),
);

const request = (sessionId: string, token: string) =>
  fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'FOO'),
      path: fc
        .tuple(
          fc.constantFrom(...ROUTES),
          fc.array(nasty, { minLength: 4, maxLength: 4 }),
          fc.boolean(),
        )
        .map(([route, [a, b, c, d], real]) =>
          route
            .replace(':id', real ? sessionId : a!)
            .replace(':port', b!)
            .replace(':rest', `${c}/${d}`),
        ),
      query: fc.option(
        fc.string({ maxLength: 40 }).map((q) => `?${encodeURIComponent(q)}`),
        {
          nil: '',
        },
      ),
      auth: fc.constantFrom('none', 'real', 'garbage'),
      contentType: fc.constantFrom(
        undefined,
        'application/json',
        'text/plain',
        'multipart/form-data',
      ),
      body: fc.oneof(
        fc.constant(undefined),
        fc.json(),
        fc.string({ maxLength: 300 }),
        fc.constantFrom('{', '{"lesson":', '[]', 'null', '{"lesson":"x","step":"y","lang":"zz"}'),
        fc.string({ minLength: 70_000, maxLength: 80_000 }),
      ),
    })
    .map((r) => ({
      ...r,
      headers: {
        ...(r.contentType ? { 'content-type': r.contentType } : {}),
        ...(r.auth === 'real' ? { authorization: `Bearer ${token}` } : {}),
        ...(r.auth === 'garbage' ? { authorization: 'Bearer \u00ff%zz' } : {}),
      },
    }));

describe('HTTP fuzz', () => {
  it('no random request gets a 5xx or escapes the app', async () => {
    const { call, session } = appHarness();
    const s = await session();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request(s.id, s.token), async (r) => {
        const withBody = r.body !== undefined && !['GET', 'HEAD'].includes(r.method);
        const res = await call(`${r.path}${r.query}`, {
          method: r.method,
          headers: r.headers,
          ...(withBody ? { body: r.body } : {}),
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        await res.arrayBuffer();
        expect(res.status, `${r.method} ${r.path.slice(0, 200)}`).toBeLessThan(500);
      }),
      { seed: 1616, numRuns: 400, endOnFailure: true },
    );
    // The run reached the routes, not only the 404 handler.
    expect([...statuses.keys()].some((status) => status < 300)).toBe(true);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  }, 60_000);
});
