import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { type HandsonConfig, loadConfig } from '../config.ts';
import type { DriverName, SandboxDriver } from '../sandbox/driver.ts';
import { type AdoptionReport, adoptSessions } from '../sessions/adoption.ts';
import { resolveCapacity } from '../sessions/capacity.ts';
import { RateLimiter } from '../sessions/rate-limiter.ts';
import { runReaper } from '../sessions/reaper.ts';
import type { Replay, SandboxSource } from '../sessions/sandbox-source.ts';
import { SessionManager } from '../sessions/session-manager.ts';
import { loadSessionSettings, type SessionSettings } from '../sessions/settings.ts';
import { openDatabase } from '../store/database.ts';
import { SessionRepository } from '../store/session-repository.ts';
import { createApp, serverAttachments } from './app.ts';
import type { ServerContext } from './context.ts';
import { type HealthCheck, httpCheck } from './healthz.ts';
import { loadDriver, loadReplay, loadStepLookup } from './optional-modules.ts';

export interface StartServerOptions {
  port?: number;
  host?: string;
  /** A driver name (loaded from sandbox/index.ts) or a driver instance (tests). */
  driver?: DriverName | SandboxDriver;
  config?: HandsonConfig;
  /** Overrides of the environment's session settings (short TTLs in tests). */
  settings?: Partial<SessionSettings>;
  /** Where sessions get sandboxes (the warm pool); default: created on demand. */
  source?: SandboxSource;
  /** Lesson replay for goto; default `lessons/replay.ts` when present. `null` = no goto. */
  replay?: Replay | null;
  stepExists?: (lesson: string, step: string) => Promise<boolean>;
  /** Dependencies `/healthz` checks; default engine, registry and package repository. */
  health?: HealthCheck[];
  siteDir?: string;
  log?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  server: Server;
  ctx: ServerContext;
  manager: SessionManager;
  adoption: AdoptionReport;
  /** Stop serving; sandboxes stay on the engine for the next start to re-adopt. */
  close(): Promise<void>;
}

function defaultHealth(cfg: HandsonConfig, driver: DriverName): HealthCheck[] {
  const hostSocket = process.env.DOCKER_HOST?.startsWith('unix://')
    ? process.env.DOCKER_HOST.slice('unix://'.length)
    : '/var/run/docker.sock';
  return [
    httpCheck('engine', {
      url: 'http://engine/_ping',
      socketPath: driver === 'host' ? hostSocket : cfg.engine.socket,
    }),
    httpCheck('registry', { url: `http://127.0.0.1:${cfg.registry.port}/v2/` }),
    httpCheck('packages', { url: `http://127.0.0.1:${cfg.packages.port}/debian/Packages` }),
  ];
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(
          new Error(
            `Port ${port} on ${host} is already in use (another \`handson serve\`?). Stop that process, or choose another port with --port.`,
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new Error(
            `Not allowed to listen on ${host}:${port}; choose a port above 1023 with --port.`,
          ),
        );
      } else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Start the site + API + WebSockets on one port: check the driver is safe here, open the
 * store, listen, re-adopt the previous server's sandboxes, then start the reaper.
 *
 * @example
 * const { url, close } = await startServer({ port: 0, driver: 'dind' });
 * await fetch(`${url}/healthz`);
 * await close();
 */
export async function startServer(opts: StartServerOptions = {}): Promise<RunningServer> {
  const cfg = opts.config ?? loadConfig();
  const log = opts.log ?? ((m: string) => process.stderr.write(`handson serve: ${m}\n`));
  const driver =
    typeof opts.driver === 'object' ? opts.driver : await loadDriver(opts.driver ?? 'dind', cfg);
  await driver.preflight();

  const settings = { ...loadSessionSettings(), ...opts.settings };
  const db = openDatabase(cfg.database);
  const repo = new SessionRepository(db);
  const replay = opts.replay === null ? undefined : (opts.replay ?? (await loadReplay()));
  const manager = new SessionManager({
    driver,
    repo,
    settings,
    capacity: resolveCapacity(
      settings.maxSandboxes,
      cfg.engine.cgroupParent,
      settings.workingSetBytes,
    ),
    source: opts.source,
    replay,
    stepExists: opts.stepExists ?? (replay ? await loadStepLookup(cfg) : undefined),
    log,
  });
  const host = opts.host ?? cfg.serve.host;
  const port = opts.port ?? cfg.serve.port;
  const ctx: ServerContext = {
    config: cfg,
    driver,
    sessions: manager,
    allowedOrigins: (requestHost) => [
      `http://${host}:${port}`,
      ...(requestHost ? [`http://${requestHost}`, `https://${requestHost}`] : []),
    ],
  };
  const app = createApp({
    ctx,
    manager,
    createLimiter: new RateLimiter({
      burst: settings.createBurst,
      perMinute: settings.createPerMinute,
    }),
    health: opts.health ?? defaultHealth(cfg, driver.name),
    siteDir: opts.siteDir ?? path.join(cfg.projectRoot, 'site', 'dist'),
    log,
  });

  // Listen before adopting so a taken port fails before any sandbox is touched; requests that
  // arrive meanwhile wait for adoption, so a known session is never answered 404.
  let adopted!: () => void;
  const adoptionDone = new Promise<void>((resolve) => {
    adopted = resolve;
  });
  const server = createAdaptorServer({
    fetch: async (req: Request) => {
      await adoptionDone;
      return app.fetch(req);
    },
  }) as Server;
  try {
    await listen(server, port, host);
  } catch (error) {
    db.close();
    throw error;
  }
  const detachers = serverAttachments.map((attach) => attach(server, ctx));
  let adoption: AdoptionReport;
  try {
    adoption = await adoptSessions(manager, repo, driver);
  } catch (error) {
    server.close();
    db.close();
    throw new Error(`Could not re-adopt the previous sessions: ${(error as Error).message}`);
  }
  adopted();
  log(
    `re-adopted ${adoption.adopted.length} sessions, expired ${adoption.expired.length}, removed ${adoption.orphansDestroyed.length} orphaned sandboxes`,
  );

  const stop = new AbortController();
  const reaper = runReaper(manager, settings.reapIntervalMs, stop.signal, log);
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    server,
    ctx,
    manager,
    adoption,
    close: () => {
      closing ??= (async () => {
        stop.abort();
        await reaper;
        manager.close();
        await Promise.allSettled(detachers.map((detach) => detach()));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        db.close();
      })();
      return closing;
    },
  };
}
