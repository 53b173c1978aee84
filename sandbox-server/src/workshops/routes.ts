import { Hono } from 'hono';
import { type AdminRouteDeps, adminRoutes } from './admin-routes.ts';
import { type LearnerRouteDeps, learnerRoutes } from './learner-routes.ts';

/** What the workshop routes use of the server. */
export type WorkshopRouteDeps = AdminRouteDeps & LearnerRouteDeps;

/**
 * The workshop API (sandbox-server/API.md): the instructor's routes behind the admin token,
 * and the learners' join and event stream.
 *
 * @example
 * app.route('/', workshopRoutes({ workshops, manager, terminals, adminToken }));
 */
export function workshopRoutes(deps: WorkshopRouteDeps): Hono {
  const app = new Hono();
  app.route('/', learnerRoutes(deps));
  app.route('/', adminRoutes(deps));
  return app;
}
