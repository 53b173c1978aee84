import { Hono } from 'hono';
import { errorHandler, notFound } from './error-handler.ts';

/**
 * A Hono app with the kit's one error handler and JSON 404, with `routes` mounted at `/`
 * (route modules carry their full paths). The server builds its app with it; so do tests and
 * dev tools that serve a few route modules alone.
 *
 * @example
 * const app = apiApp([checkRoutes({ sessions, lessons })]);
 * const res = await app.request('/api/sessions/s1/check', { method: 'POST', body });
 */
export function apiApp(routes: Hono[], log?: (message: string) => void): Hono {
  const app = new Hono();
  app.onError(errorHandler(log));
  app.notFound(notFound);
  for (const module of routes) app.route('/', module);
  return app;
}
