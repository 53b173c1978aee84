import type { Server } from 'node:http';
import type { Hono } from 'hono';
import { checkRoutes } from '../checks/routes.ts';
import { apiApp } from '../http/api-app.ts';
import { forwardedClient } from '../http/client-address.ts';
import { hostGuard } from '../http/host-guard.ts';
import { sessionAffinity } from '../http/session-affinity.ts';
import { progressRoutes } from '../progress/routes.ts';
import { fileRoutes } from '../sessions/file-routes.ts';
import { portRoutes } from '../sessions/port-proxy.ts';
import { sessionRoutes } from '../sessions/routes.ts';
import { terminalRoutes } from '../terminal/routes.ts';
import { attachTerminalWebSocket } from '../terminal/terminal-socket.ts';
import { workshopRoutes } from '../workshops/routes.ts';
import type { ServerContext } from './context.ts';
import { type HealthCheck, healthRoutes } from './healthz.ts';
import { staticSite } from './static-site.ts';

/** A route module: routes carrying their full paths, built from what the context holds. */
export type RouteModule = (ctx: ServerContext) => Hono | undefined;

/**
 * Something that hooks the Node http server itself (WebSocket upgrades); returns how to detach.
 */
export type ServerAttachment = (server: Server, ctx: ServerContext) => () => Promise<void>;

/** THE route list: every API module, in one place, one line each. */
export const routeModules: RouteModule[] = [
  sessionRoutes,
  fileRoutes,
  portRoutes,
  checkRoutes,
  terminalRoutes,
  progressRoutes,
  (ctx) =>
    ctx.workshops &&
    workshopRoutes({
      ...ctx,
      workshops: ctx.workshops.service,
      adminToken: ctx.workshops.adminToken,
      ...(ctx.workshops.wrongCodes ? { wrongCodes: ctx.workshops.wrongCodes } : {}),
    }),
];

/** THE list of server attachments: the terminal WebSocket upgrade handler goes here. */
export const serverAttachments: ServerAttachment[] = [attachTerminalWebSocket];

export interface AppOptions {
  ctx: ServerContext;
  health: HealthCheck[];
  /** The built site (`site/dist`). */
  siteDir: string;
  /** Proxies whose `X-Forwarded-For` names the client (a load balancer); default none. */
  trustedProxies?: ReadonlySet<string>;
  log?: (message: string) => void;
}

/**
 * The whole HTTP app behind the host guard (421 for a name it does not answer for) and the
 * trusted proxies' client address (`X-Forwarded-For`), answers naming their session for a load
 * balancer (`X-Handson-Session`): API
 * routes, `/healthz`, then the static site. Every error is
 * `{error: {code, message}}`, unknown routes included.
 *
 * @example
 * const app = createApp({ ctx, health, siteDir });
 * const res = await app.request('/healthz');
 */
export function createApp(opts: AppOptions): Hono {
  const modules = routeModules.map((module) => module(opts.ctx));
  return apiApp(
    [
      ...modules.filter((m): m is Hono => m !== undefined),
      healthRoutes(opts.health),
      staticSite(opts.siteDir),
    ],
    {
      log: opts.log,
      guards: [
        hostGuard(opts.ctx.origins),
        forwardedClient(opts.trustedProxies ?? new Set()),
        sessionAffinity(),
      ],
    },
  );
}
