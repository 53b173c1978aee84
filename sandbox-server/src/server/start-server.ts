import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAdaptorServer } from '@hono/node-server';
import { type HandsonConfig, loadConfig } from '../config.ts';
import { HTTP_SERVER_OPTIONS } from '../http/connection-timeouts.ts';
import { listeningOrigins, OriginPolicy } from '../http/origin-policy.ts';
import { OwnerForwarding } from '../http/owner-forwarding.ts';
import { contentDir, type LessonCatalog, lessonCatalog } from '../lessons/catalog.ts';
import { ProgressRecorder } from '../progress/progress-recorder.ts';
import type { DriverName, SandboxDriver } from '../sandbox/driver.ts';
import { createDriver } from '../sandbox/index.ts';
import { WarmPool } from '../sandbox/warm-pool.ts';
import { type AdoptionReport, adoptSessions, SERVER_LABEL } from '../sessions/adoption.ts';
import { resolveCapacity } from '../sessions/capacity.ts';
import { runReaper } from '../sessions/reaper.ts';
import { directSource, type Replay, type SandboxSource } from '../sessions/sandbox-source.ts';
import { SessionManager } from '../sessions/session-manager.ts';
import { loadSessionSettings, type SessionSettings } from '../sessions/settings.ts';
import { replayUntil } from '../solutions/replay.ts';
import { AttemptRetention } from '../store/attempt-retention.ts';
import { acquireServerLock, type ServerLock } from '../store/server-lock.ts';
import { openStore, type Store } from '../store/store.ts';
import { TerminalHub } from '../terminal/terminal-hub.ts';
import { adminToken } from '../workshops/admin-token.ts';
import { WorkshopService } from '../workshops/workshop-service.ts';
import { WRONG_CODE_LIMITS, WrongCodeBudget } from '../workshops/wrong-code-budget.ts';
import { createApp, serverAttachments } from './app.ts';
import { type ClusterMembership, joinCluster } from './cluster-membership.ts';
import type { ServerContext } from './context.ts';
import { defaultHealth } from './default-health.ts';
import type { HealthCheck } from './healthz.ts';
import { isLoopback, listen } from './listen.ts';
import { ReplicaFailover } from './replica-failover.ts';

export interface StartServerOptions {
  port?: number;
  host?: string;
  /** A driver name (loaded from sandbox/index.ts) or a driver instance (tests). */
  driver?: DriverName | SandboxDriver;
  config?: HandsonConfig;
  /** Overrides of the environment's session settings (short TTLs in tests). */
  settings?: Partial<SessionSettings>;
  /**
   * Booted sandboxes kept ready (default HANDSON_WARM_POOL, else 2; 0 = none). Ignored when
   * `source` is given.
   */
  warmPool?: number;
  /** Where sessions get sandboxes; default: the warm pool. */
  source?: SandboxSource;
  /** The lessons goto replays (default: the server's content/lessons). */
  catalog?: LessonCatalog;
  /** Lesson replay for goto; default `replayUntil` over `catalog`. `null` = no goto. */
  replay?: Replay | null;
  /** Dependencies `/healthz` checks; default engine, registry and package repository. */
  health?: HealthCheck[];
  siteDir?: string;
  /** Origins allowed besides those the server listens on (a public name behind a proxy). */
  origins?: string[];
  /** Proxies whose `X-Forwarded-For` is believed (`HANDSON_TRUSTED_PROXIES`, keyed by `addressKey`). */
  trustedProxies?: ReadonlySet<string>;
  /**
   * This server's name as one replica of a cluster on a Postgres database
   * (`HANDSON_REPLICA_ID`, set by `handson cluster up`); without it, one server per database.
   */
  replicaId?: string;
  log?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  server: Server;
  ctx: ServerContext;
  manager: SessionManager;
  workshops: WorkshopService;
  /** The warm pool (absent when a `source` was given). */
  pool: WarmPool | undefined;
  adoption: AdoptionReport;
  /** Stop serving; sandboxes stay on the engine for the next start to re-adopt. */
  close(): Promise<void>;
}

/**
 * Start the site + API + WebSockets on one port: open the store, listen, check the driver is
 * safe here, re-adopt the previous server's sandboxes, then start the reaper.
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
    typeof opts.driver === 'object' ? opts.driver : createDriver(opts.driver ?? 'dind', cfg);

  const host = opts.host ?? cfg.serve.host;
  const port = opts.port ?? cfg.serve.port;
  if (driver.name === 'host' && !isLoopback(host)) {
    throw new Error(
      `The host driver gives every visitor a shell as ${process.env.USER ?? 'this user'} on this machine, so it serves loopback only, not --host ${host}. Use --driver dind for a class, or reach this machine through an SSH tunnel.`,
    );
  }
  const settings = { ...loadSessionSettings(), ...opts.settings };
  // First of all: a second server on this database must not touch the first one's sandboxes.
  // A replica shares the database with the others; its own name is what no one else may hold.
  const member: ClusterMembership | undefined = opts.replicaId
    ? await joinCluster(cfg.database, opts.replicaId, log)
    : undefined;
  const lock: ServerLock = member
    ? { announce: (address) => member.replica.announce(address), release: () => member.leave() }
    : await acquireServerLock(cfg.database, (error) => log(error.message));
  let store: Store;
  let serverId: string;
  try {
    store = await openStore(cfg.database, log);
    serverId = await store.serverInstanceId();
  } catch (error) {
    await lock.release();
    throw error;
  }
  const closeStore = async () => {
    await store.close().catch((error: Error) => log(`closing the store: ${error.message}`));
    await lock.release();
  };
  // A replica sees (and re-adopts) its own sessions, and labels its sandboxes with its name, so
  // a survivor removes exactly a dead replica's spares.
  const repo = member ? member.replica.sessions(store.sessions) : store.sessions;
  const labelOf = (replica: string) => `${serverId}/${replica}`;
  const label = member ? labelOf(member.replica.id) : serverId;
  const spec = { labels: { [SERVER_LABEL]: label } };
  const catalog = opts.catalog ?? lessonCatalog(contentDir(cfg));
  const replay: Replay | undefined =
    opts.replay === null
      ? undefined
      : (opts.replay ??
        ((sandbox, lesson, step, { signal }) =>
          replayUntil(sandbox, lesson, step, { signal, catalog })));
  const poolSize = opts.warmPool ?? Number(process.env.HANDSON_WARM_POOL ?? 2);
  let reservedSeats = 0;
  let poolStarted = false;
  const capacity = resolveCapacity(
    settings.maxSandboxes,
    cfg.engine.cgroupParent,
    settings.workingSetBytes,
  );
  // A pool even of size 0: a workshop grows it to boot its learners' sandboxes ahead.
  const pool: WarmPool | undefined = !opts.source
    ? new WarmPool(driver, {
        size: poolSize,
        spec,
        // Spares count against capacity too (used only once the manager below exists).
        room: (): number => capacity - manager.activeCount(),
        // Each spare's main shell runs before its learner comes: joining attaches to it.
        prepare: (sandbox) => terminals.prestart(sandbox),
        onError: (error) => log(`warm pool: ${(error as Error).message}`),
      })
    : undefined;
  const manager = new SessionManager({
    driver,
    repo,
    settings,
    capacity,
    source: opts.source ?? pool ?? directSource(driver, spec),
    replay,
    stepExists: async (lesson, step) => (await catalog.step(lesson, step)) !== undefined,
    // Seats promised to running workshops are not given to anonymous sessions.
    heldSeats: (): Promise<number> => workshops.openSeats(),
    log,
  });
  // The warm pool's spares start their main shell ahead through it (used once the pool fills).
  const terminals = new TerminalHub(manager);
  const progress = new ProgressRecorder(store.attempts, store.progress);
  const workshops = new WorkshopService({
    repo: store.workshops,
    manager,
    progress,
    catalog,
    capacity,
    // Open seats get booted sandboxes on top of the usual pool; only once adoption is done.
    reserveSeats: (seats) => {
      reservedSeats = seats;
      if (poolStarted) pool?.resize(poolSize + seats);
    },
    ...(member
      ? {
          relay: member.relay,
          storedState: async (id: string) => (await store.sessions.get(id))?.state,
        }
      : {}),
  });
  const ctx: ServerContext = {
    sessions: manager,
    // Per-address limits count once for every replica on the database (Store.limiter).
    // Creating a session writes to the store anyway, so a failing Postgres costs a learner
    // nothing more if this limit falls back to this replica's memory: still bounded.
    createLimiter: store.limiter(
      'session-create',
      { burst: settings.createBurst, perMinute: settings.createPerMinute },
      'this-process',
    ),
    lessons: catalog,
    terminals,
    progress,
    workshops: {
      service: workshops,
      adminToken: adminToken(cfg),
      // Refused while Postgres fails: only wrong codes spend this budget, so a learner with the
      // right code never meets it, and a guesser gains nothing from an unknown budget.
      wrongCodes: new WrongCodeBudget({
        perAddress: store.limiter('wrong-code', WRONG_CODE_LIMITS.perAddress, 'refuse'),
        everyone: store.limiter('wrong-code-everyone', WRONG_CODE_LIMITS.everyone, 'refuse'),
      }),
    },
    // An instructor's action or a terminal WebSocket for a session another replica holds goes there.
    ...(member ? { forwarding: new OwnerForwarding(member.replica, member.replica.id) } : {}),
    // Filled in once the server listens (port 0 is known only then), before anything is served.
    origins: new OriginPolicy(),
  };
  const app = createApp({
    ctx,
    health: opts.health ?? defaultHealth(cfg, driver.name),
    siteDir: opts.siteDir ?? path.join(cfg.projectRoot, 'site', 'dist'),
    ...(opts.trustedProxies ? { trustedProxies: opts.trustedProxies } : {}),
    log,
  });

  // Listen before adopting so a taken port fails before any sandbox is touched; requests that
  // arrive meanwhile wait for adoption, so a known session is never answered 404.
  let adopted!: () => void;
  const adoptionDone = new Promise<void>((resolve) => {
    adopted = resolve;
  });
  const server = createAdaptorServer({
    // The adapter's bindings (the socket) go on to the app: per-address limits read the
    // client's address from them (http/client-address.ts), else every client is `unknown`.
    fetch: async (req: Request, bindings: unknown) => {
      await adoptionDone;
      return app.fetch(req, bindings);
    },
    serverOptions: HTTP_SERVER_OPTIONS,
  }) as Server;
  try {
    await listen(server, port, host);
  } catch (error) {
    await closeStore();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  await lock.announce(`http://${urlHost}:${address.port}`);
  ctx.origins.allow([...listeningOrigins(address.address, address.port), ...(opts.origins ?? [])]);
  // The driver's safety check (e.g. dind refuses an engine without userns remapping) comes
  // after listen only because a taken port is the quicker answer; nothing is served before it.
  try {
    await driver.preflight();
  } catch (error) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await closeStore();
    throw error;
  }
  const detachers = serverAttachments.map((attach) => attach(server, ctx));
  let adoption: AdoptionReport;
  try {
    adoption = await adoptSessions(manager, repo, driver, {
      serverId: label,
      ...(member ? { referenced: await member.replica.referencedSandboxes() } : {}),
    });
    await workshops.start();
  } catch (error) {
    server.close();
    await closeStore();
    throw new Error(`Could not re-adopt the previous sessions: ${(error as Error).message}`);
  }
  adopted();
  // Only after adoption: the pool's fresh sandboxes would otherwise look like orphans.
  poolStarted = true;
  pool?.resize(poolSize + reservedSeats);
  log(
    `re-adopted ${adoption.adopted.length} sessions, expired ${adoption.expired.length}, removed ${adoption.orphansDestroyed.length} orphaned sandboxes`,
  );

  const stop = new AbortController();
  // Each sweep also tops the pool up again: ended sessions give room back.
  const retention = new AttemptRetention(store.attempts);
  const reaper = runReaper(manager, settings.reapIntervalMs, stop.signal, log, () => {
    pool?.fill();
    return retention.maybePrune();
  });
  // A replica watches the others: it takes over a dead one's sessions, on a timer and at once
  // when a learner's request names a session it does not hold.
  const failover =
    member && new ReplicaFailover({ peers: member.replica, manager, repo, driver, labelOf, log });
  const watching = failover?.run(stop.signal);
  const fairness = driver.keepFair?.(stop.signal).catch((error: unknown) => {
    log(`keeping sandboxes fair stopped: ${(error as Error).message}`);
  });
  if (failover) manager.whenUnknown = () => failover.sweep();

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    server,
    ctx,
    manager,
    workshops,
    pool,
    adoption,
    close: () => {
      closing ??= (async () => {
        stop.abort();
        await reaper;
        await watching;
        await fairness;
        workshops.close();
        manager.close();
        await pool?.drain();
        // A terminal that does not let go must not keep the server from stopping.
        await Promise.race([
          Promise.allSettled(detachers.map((detach) => detach())),
          sleep(5000, undefined, { ref: false }),
        ]);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await closeStore();
      })();
      return closing;
    },
  };
}
