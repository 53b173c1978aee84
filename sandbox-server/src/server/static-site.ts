import fs from 'node:fs';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { contentSecurityPolicy } from './content-security.ts';

const NOT_BUILT = (dir: string) => `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>handson: site not built</title>
<body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>The course site is not built yet</h1>
<p>The API is running, but <code>${dir}</code> does not exist.
Build the site with <code>npm run build</code>, then reload this page.</p>
</body></html>`;

/** A site page with its Content-Security-Policy (pages are small: read once to hash scripts). */
async function withPolicy(page: Response): Promise<Response> {
  const html = await page.text();
  const headers = new Headers(page.headers);
  headers.delete('content-length');
  headers.set('content-security-policy', contentSecurityPolicy(html));
  headers.set('x-content-type-options', 'nosniff');
  headers.set('referrer-policy', 'same-origin');
  return new Response(html, { status: page.status, headers });
}

/**
 * The built Astro site from `dir` (`site/dist`), or a page saying how to build it. API paths
 * never fall through to it, so an unknown API route stays a JSON 404.
 *
 * @example
 * app.route('/', staticSite(path.join(cfg.projectRoot, 'site', 'dist')));
 */
export function staticSite(dir: string): Hono {
  const app = new Hono();
  if (!fs.existsSync(dir)) {
    app.get('/', (c) => c.html(NOT_BUILT(dir), 200));
    return app;
  }
  app.use('*', async (c, next) => {
    if (c.req.path.startsWith('/api/')) return next();
    const served = await serveStatic({ root: dir })(c, next);
    const page =
      served?.status === 200 && served.headers.get('content-type')?.startsWith('text/html');
    if (page && c.req.method === 'GET') return withPolicy(served);
    return served;
  });
  return app;
}
