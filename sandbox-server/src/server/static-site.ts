import fs from 'node:fs';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

const NOT_BUILT = (dir: string) => `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>handson: site not built</title>
<body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>The course site is not built yet</h1>
<p>The API is running, but <code>${dir}</code> does not exist.
Build the site with <code>npm run build</code>, then reload this page.</p>
</body></html>`;

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
    return serveStatic({ root: dir })(c, next);
  });
  return app;
}
