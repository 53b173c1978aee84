import type { Context, MiddlewareHandler } from 'hono';
import type { ErrorBody } from '#contracts/http-api.ts';
import type { OriginPolicy } from './origin-policy.ts';

/**
 * Every route's first step: a request whose `Host` is not one of the server's names gets `421`
 * (a DNS-rebinding page, or a proxy sending the wrong name). Cookies set on the way out are
 * `Secure` when the browser reaches this host over https (an `https://` origin in the list).
 *
 * @example
 * app.use('*', hostGuard(policy));
 */
export function hostGuard(policy: OriginPolicy): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!policy.allowsHost(host)) {
      return c.json<ErrorBody>(
        {
          error: {
            code: 'misdirected',
            message: `This server does not answer for the host ${JSON.stringify(host.slice(0, 100))}. An operator adds a public name with --origin (or HANDSON_ORIGINS).`,
          },
        },
        421,
      );
    }
    await next();
    if (policy.isHttps(host)) secureCookies(c);
  };
}

function secureCookies(c: Context): void {
  const cookies = c.res.headers.getSetCookie();
  if (cookies.length === 0) return;
  // A response from elsewhere (a proxied one) may have immutable headers: Hono's setter makes a
  // copy whose headers can change (and copies the old ones into it, so they change after).
  c.res = new Response(c.res.body, c.res);
  c.res.headers.delete('set-cookie');
  for (const cookie of cookies) {
    c.res.headers.append(
      'set-cookie',
      /;\s*secure(;|$)/i.test(cookie) ? cookie : `${cookie}; Secure`,
    );
  }
}
