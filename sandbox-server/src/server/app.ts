import type { Server } from 'node:http';
import { Hono } from 'hono';
import { checkRoutes } from '../checks/routes.ts';
import { errorHandler, notFound } from '../http/error-handler.ts';
import { hostGuard } from '../http/host-guard.ts';
import { progressRoutes } from '../progress/routes.ts';
import { fileRoutes } from '../sessions/file-routes.ts';
import { portRoutes } from '../sessions/port-proxy.ts';
import type { RateLimiter } from '../sessions/rate-limiter.ts';
import { sessionRoutes } from '../sessions/routes.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { terminalRoutes } from '../terminal/routes.ts';
import { attachTerminalWebSocket } from '../terminal/terminal-socket.ts';
import type { ServerContext } from './context.ts';
import { type HealthCheck, healthRoutes } from './healthz.ts';
import { staticSite } from './static-site.ts';

/** A route module: a Hono app whose routes carry their full paths, mounted at `/`. */
export type RouteModule = (ctx: ServerContext) => Hono;

/**
 * Something that hooks the Node http server itself (WebSocket upgrades); returns how to detach.
 */
export type ServerAttachment = (server: Server, ctx: ServerContext) => () => Promise<void>;

/**
 * THE route list: every API module, in one place. Terminals and checks add their factory here
 * (one line each); the session routes need the manager, so they are built in `createApp`.
 */
export const routeModules: RouteModule[] = [
  fileRoutes,
  portRoutes,
  checkRoutes,
  terminalRoutes,
  progressRoutes,
];

/** THE list of server attachments: the terminal WebSocket upgrade handler goes here. */
export const serverAttachments: ServerAttachment[] = [attachTerminalWebSocket];

export interface AppOptions {
  ctx: ServerContext;
  manager: SessionManager;
  createLimiter: RateLimiter;
  health: HealthCheck[];
  /** Routes built with more than the context (the workshops'), mounted before the site. */
  routes?: Hono[];
  /** The built site (`site/dist`). */
  siteDir: string;
  log?: (message: string) => void;
}

/**
 * The whole HTTP app: API routes, `/healthz`, then the static site. Every error is
 * `{error: {code, message}}`, unknown routes included.
 *
 * @example
 * const app = createApp({ ctx, manager, createLimiter, health, siteDir });
 * const res = await app.request('/healthz');
 */
export function createApp(opts: AppOptions): Hono {
  const app = new Hono();
  app.onError(errorHandler(opts.log));
  app.notFound(notFound);
  app.use('*', hostGuard(opts.ctx.origins));
  app.route('/', sessionRoutes(opts.manager, opts.createLimiter));
  for (const module of routeModules) app.route('/', module(opts.ctx));
  for (const routes of opts.routes ?? []) app.route('/', routes);
  app.route('/', healthRoutes(opts.health));
  app.route('/', staticSite(opts.siteDir));
  return app;
}
