import http from 'node:http';
import { Hono } from 'hono';

/** One dependency `/healthz` looks at. */
export interface HealthCheck {
  name: string;
  /** Resolves when the dependency answers; rejects with what is wrong. */
  probe(signal: AbortSignal): Promise<void>;
}

/**
 * An HTTP GET that must answer 2xx: over TCP (`url`) or a unix socket (`socketPath` + path).
 *
 * @example
 * httpCheck('registry', { url: 'http://127.0.0.1:5480/v2/' })
 * httpCheck('engine', { socketPath: '/run/handson/docker.sock', url: 'http://engine/_ping' })
 */
export function httpCheck(name: string, target: { url: string; socketPath?: string }): HealthCheck {
  return {
    name,
    probe: (signal) =>
      new Promise<void>((resolve, reject) => {
        const url = new URL(target.url);
        const req = http.get(
          {
            ...(target.socketPath
              ? { socketPath: target.socketPath }
              : { host: url.hostname, port: url.port }),
            path: `${url.pathname}${url.search}`,
            signal,
            agent: false,
          },
          (res) => {
            res.resume();
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve();
            else reject(new Error(`${target.url} answered HTTP ${status}`));
          },
        );
        req.on('error', (error) =>
          reject(new Error(`${target.socketPath ?? target.url}: ${error.message}`)),
        );
      }),
  };
}

/**
 * `GET /healthz`: 200 when every dependency answers within 3 s, else 503 with what failed and
 * how to fix it.
 *
 * @example
 * app.route('/', healthRoutes([httpCheck('registry', { url: 'http://127.0.0.1:5480/v2/' })]));
 */
export function healthRoutes(checks: HealthCheck[]): Hono {
  const app = new Hono();
  app.get('/healthz', async (c) => {
    const results = await Promise.all(
      checks.map(async (check) => {
        try {
          await check.probe(AbortSignal.timeout(3000));
          return [check.name, { ok: true }] as const;
        } catch (error) {
          return [check.name, { ok: false, message: (error as Error).message }] as const;
        }
      }),
    );
    const failed = results.filter(([, r]) => !r.ok).map(([name]) => name);
    const body = { ok: failed.length === 0, checks: Object.fromEntries(results) };
    if (failed.length === 0) return c.json(body);
    return c.json(
      {
        ...body,
        error: {
          code: 'unhealthy',
          message: `Not answering: ${failed.join(', ')}. Run \`handson doctor --fix\` to start and repair them.`,
        },
      },
      503,
    );
  });
  return app;
}
