import type { MiddlewareHandler } from 'hono';

/**
 * The response header naming the session a response was about. A load balancer in front of
 * several replicas (HAProxy in `handson cluster`) remembers which replica answered it and sends
 * that session's next requests and terminal WebSocket there.
 */
export const SESSION_HEADER = 'x-handson-session';

/** A route that acted on a session without naming it in its path sets it here (instructor routes). */
declare module 'hono' {
  interface ContextVariableMap {
    servedSession: string;
  }
}

/** `/api/sessions/<id>` and anything below it. */
const SESSION_PATH = /^\/api\/sessions\/([A-Za-z0-9_-]{1,64})(?:\/|$)/;

/** The calls whose 201 creates a session and answers its `id`. */
const CREATING = new Set(['/api/sessions', '/api/workshops/join']);

/**
 * Add `X-Handson-Session` to every successful answer about a session: requests under
 * `/api/sessions/<id>` (the id in the path), an instructor's action on a learner's session served
 * here (`servedSession`), and the 201 of a call that created one (the `id` in
 * its body). Answers that failed say nothing, so a replica that does not hold a session never
 * draws it.
 *
 * @example
 * app.use('*', sessionAffinity());
 */
export function sessionAffinity(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.status >= 400) return;
    const inPath = SESSION_PATH.exec(c.req.path)?.[1] ?? c.get('servedSession');
    const id =
      inPath ??
      (c.req.method === 'POST' && c.res.status === 201 && CREATING.has(c.req.path)
        ? await createdId(c.res)
        : undefined);
    if (id === undefined) return;
    // A response from elsewhere may have immutable headers: copy it (as the host guard does).
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set(SESSION_HEADER, id);
  };
}

async function createdId(res: Response): Promise<string | undefined> {
  try {
    const body = (await res.clone().json()) as { id?: unknown };
    return typeof body.id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(body.id)
      ? body.id
      : undefined;
  } catch {
    return undefined;
  }
}
