import { Hono, type MiddlewareHandler } from 'hono';
import { errorHandler, notFound } from './error-handler.ts';

export interface ApiAppOptions {
  /** Where unexpected errors are logged (with their stack). */
  log?: (message: string) => void;
  /** Middleware every request passes before any route (the server's host guard). */
  guards?: MiddlewareHandler[];
}

/**
 * A Hono app with the kit's one error handler and JSON 404, with `routes` mounted at `/`
 * (route modules carry their full paths) behind `guards`. The server builds its app with it;
 * so do tests and dev tools that serve a few route modules alone.
 *
 * @example
 * const app = apiApp([checkRoutes({ sessions, lessons })]);
 * const res = await app.request('/api/sessions/s1/check', { method: 'POST', body });
 */
export function apiApp(routes: Hono[], opts: ApiAppOptions = {}): Hono {
  const app = new Hono();
  app.onError(errorHandler(opts.log));
  app.notFound(notFound);
  for (const guard of opts.guards ?? []) app.use('*', guard);
  for (const module of routes) app.route('/', module);
  return app;
}
