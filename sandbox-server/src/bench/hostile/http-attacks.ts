import fc from 'fast-check';

/**
 * What a hostile client can put on a bare HTTP/1.1 connection, as fast-check arbitraries:
 * malformed request lines, huge and broken headers, slowloris-style partial requests,
 * pipelines, invalid chunked bodies, bodies longer than declared and absurd Content-Lengths.
 * Rendered against one live session (its id and token), so requests reach real routes.
 */

/** Where the requests go: the server's `host:port` and a session that must keep working. */
export interface HttpTarget {
  host: string;
  sessionId: string;
  token: string;
}

export type HttpPart =
  | { kind: 'valid'; route: number }
  | { kind: 'body'; route: number; contentType: string; body: string }
  | { kind: 'request-line'; line: string }
  | { kind: 'huge-header'; size: number; count: number }
  | { kind: 'bad-header'; header: string; route: number }
  | { kind: 'chunked'; body: string; route: number }
  | { kind: 'longer-body'; declared: number; extra: string; route: number }
  | { kind: 'absurd-length'; length: string; body: string; route: number }
  | { kind: 'garbage'; bytes: Uint8Array };

export interface HttpAttack {
  parts: HttpPart[];
  /** Bytes per write (the request split anywhere), or undefined for one write. */
  chunk: number | undefined;
  /**
   * How the client leaves: `fin` half-closes (the server answers and closes), `reset` drops the
   * connection, `hold` stalls mid-request (slowloris) and waits for the server to give up.
   */
  ending: 'fin' | 'reset' | 'hold';
}

/** Routes a request can name: every kind of route, none that ends or replaces the session. */
const ROUTES: [method: string, path: (t: HttpTarget) => string][] = [
  ['GET', () => '/healthz'],
  ['GET', () => '/'],
  ['GET', () => '/en/lessons/01-setup/'],
  ['GET', (t) => `/api/sessions/${t.sessionId}`],
  ['POST', (t) => `/api/sessions/${t.sessionId}/check`],
  ['POST', (t) => `/api/sessions/${t.sessionId}/terminals`],
  ['PUT', (t) => `/api/sessions/${t.sessionId}/files/fuzz.txt`],
  ['GET', (t) => `/api/sessions/${t.sessionId}/files/fuzz.txt`],
  ['POST', (t) => `/api/sessions/${t.sessionId}/ports/8080/upload`],
  ['GET', (t) => `/api/sessions/${t.sessionId}/terminal`],
  ['POST', () => '/api/workshops/join'],
  ['POST', () => '/api/progress'],
  ['GET', () => '/%zz/..%2f..%2f'],
];
const route = fc.nat({ max: ROUTES.length - 1 });

const requestLine = fc.oneof(
  fc.constantFrom(
    'GET / HTTP/9.9',
    'GET /',
    'GET  /  HTTP/1.1',
    'GET\t/\tHTTP/1.1',
    'get / http/1.1',
    'GET http://evil.example/ HTTP/1.1',
    'CONNECT evil.example:443 HTTP/1.1',
    'OPTIONS * HTTP/1.1',
    'PRI * HTTP/2.0\r\n\r\nSM',
    'GET /\u0000 HTTP/1.1',
    'GET /\x7f HTTP/1.1',
    'G\u00e9T / HTTP/1.1',
    ' GET / HTTP/1.1',
    'GET / HTTP/1.1 extra',
    'GET //// HTTP/1.1',
    'GET /api/sessions/%zz/terminal HTTP/1.1',
  ),
  fc.integer({ min: 8_000, max: 200_000 }).map((n) => `GET /${'a'.repeat(n)} HTTP/1.1`),
  fc
    .tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 }))
    .map(([m, p]) => `${m} ${p} HTTP/1.1`),
);

const badHeader = fc.oneof(
  fc.constantFrom(
    'NoColonHere',
    'Space : before-colon',
    'X-Folded: a\r\n  continued',
    'X-Nul: a\u0000b',
    'X-Bare-CR: a\rb',
    'Content-Length: 1\r\nContent-Length: 2',
    'Transfer-Encoding: chunked\r\nContent-Length: 3',
    'Transfer-Encoding: gzip, chunked',
    'Transfer-Encoding: identity',
    'Host: a\r\nHost: b',
    'Expect: 100-continue',
    'Connection: Upgrade\r\nUpgrade: h2c',
    'Connection: Upgrade\r\nUpgrade: websocket',
    'Authorization: Bearer \u00ff%zz',
    'Content-Type: application/json; charset=utf-1000',
    ': empty-name',
    'X-\u00e9: latin1',
  ),
  fc
    .tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 200 }))
    .map(([n, v]) => `${n}: ${v}`),
);

const chunkedBody = fc.oneof(
  fc.constantFrom(
    'zz\r\nabc\r\n0\r\n\r\n',
    '-1\r\nabc\r\n0\r\n\r\n',
    'ffffffffffffffffff\r\nabc\r\n',
    '3\r\nabcdef\r\n0\r\n\r\n',
    '3\r\nab',
    '3;ext=\u0000\r\nabc\r\n0\r\n\r\n',
    '3\nabc\n0\n\n',
    `0\r\n${'X-Trailer: t\r\n'.repeat(2000)}\r\n`,
    '5\r\nhello\r\n0\r\n\r\n',
    '2\r\n{}\r\n0\r\n\r\n',
  ),
  fc.string({ maxLength: 100 }),
);

const part: fc.Arbitrary<HttpPart> = fc.oneof(
  { weight: 4, arbitrary: route.map((r) => ({ kind: 'valid' as const, route: r })) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('body' as const),
      route,
      contentType: fc.constantFrom(
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
      ),
      body: fc.oneof(
        fc.json({ maxDepth: 2 }),
        fc.string({ maxLength: 200 }),
        fc.constantFrom(
          '{"mode":"read"}',
          '{"lesson":"01-setup","step":"x"}',
          '{"code":"AAAAAAAA"}',
        ),
        fc.integer({ min: 1, max: 2 ** 21 }).map((n) => 'x'.repeat(n)),
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: requestLine.map((line) => ({ kind: 'request-line' as const, line })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('huge-header' as const),
      size: fc.integer({ min: 1, max: 100_000 }),
      count: fc.integer({ min: 1, max: 3000 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('bad-header' as const), header: badHeader, route }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('chunked' as const), body: chunkedBody, route }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('longer-body' as const),
      declared: fc.nat({ max: 20 }),
      extra: fc.string({ minLength: 1, maxLength: 300 }),
      route,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('absurd-length' as const),
      length: fc.constantFrom(
        '99999999999999999999',
        '18446744073709551616',
        '9007199254740993',
        '1000000000',
        '-1',
        '1e3',
        '0x10',
        ' 12',
        '1,2',
        '',
      ),
      body: fc.string({ maxLength: 50 }),
      route,
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ minLength: 1, maxLength: 200 })
      .map((bytes) => ({ kind: 'garbage' as const, bytes })),
  },
);

/** One hostile connection: a few requests (pipelined), split anywhere, left in some way. */
export const httpAttack: fc.Arbitrary<HttpAttack> = fc.record({
  parts: fc.array(part, { minLength: 1, maxLength: 5 }),
  chunk: fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined }),
  ending: fc.constantFrom('fin' as const, 'fin' as const, 'reset' as const, 'hold' as const),
});

/** The bytes of one part, as the client puts them on the wire. */
export function partBytes(p: HttpPart, t: HttpTarget): Buffer {
  const head = (r: number, extra: string[] = []) => {
    const [method, path] = ROUTES[r]!;
    return [
      `${method} ${path(t)} HTTP/1.1`,
      `Host: ${t.host}`,
      `Authorization: Bearer ${t.token}`,
      ...extra,
    ].join('\r\n');
  };
  const latin1 = (s: string) => Buffer.from(s, 'latin1');
  switch (p.kind) {
    case 'valid':
      return latin1(`${head(p.route, ['Content-Length: 0'])}\r\n\r\n`);
    case 'body': {
      const body = Buffer.from(p.body, 'utf8');
      return Buffer.concat([
        latin1(
          `${head(p.route, [`Content-Type: ${p.contentType}`, `Content-Length: ${body.length}`])}\r\n\r\n`,
        ),
        body,
      ]);
    }
    case 'request-line':
      return latin1(`${p.line}\r\nHost: ${t.host}\r\n\r\n`);
    case 'huge-header': {
      const headers = Array.from(
        { length: p.count },
        (_, i) => `X-Fuzz-${i}: ${'v'.repeat(Math.ceil(p.size / p.count))}`,
      );
      return latin1(`${head(0, headers)}\r\n\r\n`);
    }
    case 'bad-header':
      return latin1(`${head(p.route, [p.header, 'Content-Length: 0'])}\r\n\r\n`);
    case 'chunked':
      return Buffer.concat([
        latin1(`${head(p.route, ['Transfer-Encoding: chunked'])}\r\n\r\n`),
        Buffer.from(p.body, 'utf8'),
      ]);
    case 'longer-body':
      return Buffer.concat([
        latin1(`${head(p.route, [`Content-Length: ${p.declared}`])}\r\n\r\n`),
        Buffer.from(p.extra, 'utf8'),
      ]);
    case 'absurd-length':
      return Buffer.concat([
        latin1(`${head(p.route, [`Content-Length: ${p.length}`])}\r\n\r\n`),
        Buffer.from(p.body, 'utf8'),
      ]);
    case 'garbage':
      return Buffer.from(p.bytes);
  }
}
