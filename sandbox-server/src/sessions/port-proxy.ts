import http from 'node:http';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { bearerToken } from '../http/bearer-auth.ts';
import { DomainError } from '../http/domain-error.ts';
import type { SessionDirectory } from './session-handle.ts';

/** Headers that belong to one hop, never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'authorization',
  'cookie',
  'content-length',
]);

/**
 * What a learner's service may not set on the site's origin: cookies (it would set or overwrite
 * the site's own), Clear-Site-Data (it would wipe the storage of whoever opens the page, an
 * instructor included) and service-worker scope widening.
 */
const NEVER_FROM_LEARNER = new Set(['set-cookie', 'clear-site-data', 'service-worker-allowed']);

/** Request bodies sent through to a learner's service (a form, a small upload). */
export const PROXY_BODY_LIMIT = 8 * 1024 * 1024;
/** A service that has not started answering by then gets a 504. */
const ANSWER_TIMEOUT_MS = 30_000;

const cookieName = (sessionId: string) => `handson_ports_${sessionId}`;

const bodyTooLarge = () =>
  new DomainError(
    'too_large',
    'too_large',
    `Request bodies through the ports proxy are limited to ${PROXY_BODY_LIMIT} bytes.`,
  );

/** Passes bytes through until `max`, then fails the stream with a 413. */
function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > max ? bodyTooLarge() : null, chunk);
    },
  });
}

const nothingListens = (port: number, detail: string) =>
  new DomainError(
    'upstream',
    'nothing_listening',
    `Nothing answered on port ${port} inside your sandbox (${detail}). Start a server there first, e.g. \`docker run -d -p ${port}:80 nginx\`, then reload.`,
  );

/**
 * `/api/sessions/:id/ports/:port/…`: an HTTP proxy to `127.0.0.1:<port>` inside the sandbox,
 * so a learner can open the page their nginx serves. A browser tab cannot send a bearer
 * header, so `?token=` is accepted once and traded for a cookie scoped to this session's
 * ports. Proxied pages get a CSP sandbox: they run in an opaque origin and cannot read the
 * site's storage (a learner's page may be shown to an instructor); they cannot set cookies or
 * clear site data either, and never see the learner's token (query, cookie or header). Request
 * bodies are capped (413) and an aborted upload only ends its own request.
 *
 * @example
 * app.route('/', portRoutes({ sessions }));
 * // open /api/sessions/<id>/ports/8080/?token=<token> in a tab
 */
export function portRoutes({ sessions }: { sessions: SessionDirectory }): Hono {
  const app = new Hono();

  app.all('/api/sessions/:id/ports/:port{[0-9]+}', (c) => {
    // Relative links on the page resolve against the trailing slash.
    const url = new URL(c.req.url);
    return c.redirect(`${url.pathname}/${url.search}`, 308);
  });

  app.all('/api/sessions/:id/ports/:port{[0-9]+}/*', async (c) => {
    const id = c.req.param('id');
    const queryToken = c.req.query('token');
    const token = bearerToken(c) ?? queryToken ?? getCookie(c, cookieName(id));
    const session = sessions.authorize(id, token);
    const port = Number(c.req.param('port'));
    if (!(port >= 1 && port <= 65535)) {
      throw new DomainError('invalid', 'bad_port', `Port ${port} is not between 1 and 65535.`);
    }
    session.touch();
    const sandbox = await session.sandbox(c.req.raw.signal);

    const url = new URL(c.req.url);
    const prefix = `/api/sessions/${id}/ports/${port}`;
    url.searchParams.delete('token');
    const target = `${url.pathname.slice(prefix.length) || '/'}${url.search}`;

    let stream: Awaited<ReturnType<typeof sandbox.connect>>;
    try {
      stream = await sandbox.connect(port);
    } catch (error) {
      throw nothingListens(port, (error as Error).message);
    }
    const headers: Record<string, string> = { host: `127.0.0.1:${port}`, connection: 'close' };
    c.req.raw.headers.forEach((value, key) => {
      if (!HOP_BY_HOP.has(key)) headers[key] = value;
    });
    const body = !['GET', 'HEAD'].includes(c.req.method) ? c.req.raw.body : null;
    if (Number(c.req.header('content-length') ?? 0) > PROXY_BODY_LIMIT) {
      stream.destroy();
      throw bodyTooLarge();
    }

    const upstream = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request({
        method: c.req.method,
        path: target,
        headers,
        createConnection: () => stream as never,
        signal: c.req.raw.signal,
      });
      const timer = setTimeout(() => {
        reject(
          new DomainError(
            'upstream_timeout',
            'no_answer',
            `The server on port ${port} inside your sandbox did not answer within ${ANSWER_TIMEOUT_MS / 1000} s.`,
          ),
        );
        req.destroy();
      }, ANSWER_TIMEOUT_MS);
      req.on('response', (res) => {
        clearTimeout(timer);
        resolve(res);
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(nothingListens(port, error.message));
      });
      if (!body) {
        req.end();
        return;
      }
      // An upload the browser aborts, or one over the limit, fails here, never as an
      // unhandled stream error (which would end the process).
      pipeline(Readable.fromWeb(body as never), byteLimit(PROXY_BODY_LIMIT), req).catch(
        (error: unknown) => {
          clearTimeout(timer);
          req.destroy();
          reject(error instanceof DomainError ? error : nothingListens(port, String(error)));
        },
      );
    });

    const out = new Headers();
    for (const [key, value] of Object.entries(upstream.headers)) {
      if (HOP_BY_HOP.has(key) || NEVER_FROM_LEARNER.has(key) || value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) out.append(key, v);
    }
    out.set('content-security-policy', 'sandbox allow-scripts allow-forms allow-popups');
    if (queryToken) {
      out.append(
        'set-cookie',
        `${cookieName(id)}=${encodeURIComponent(queryToken)}; Path=/api/sessions/${id}/ports/; HttpOnly; SameSite=Lax`,
      );
    }
    const answer =
      c.req.method === 'HEAD' || upstream.statusCode === 204 || upstream.statusCode === 304
        ? null
        : (Readable.toWeb(upstream) as ReadableStream);
    if (!answer) upstream.resume();
    return new Response(answer, { status: upstream.statusCode ?? 502, headers: out });
  });

  return app;
}
