import path from 'node:path';

/**
 * Where the project keeps its state and which addresses its services use.
 * Everything is derived from a few environment variables so tests and operators
 * can move it, and nothing touches a Docker engine the user already runs.
 *
 * @example
 * const cfg = loadConfig();
 * cfg.engine.socket // '/run/handson/docker.sock'
 */
export interface HandsonConfig {
  /** Persistent state: engine data root, registry storage, package repository, images cache, SQLite. */
  home: string;
  /** Runtime state: sockets, pidfiles, per-sandbox host directories. */
  runDir: string;
  /** The repository root (content/, site/). */
  projectRoot: string;
  engine: {
    socket: string;
    dataRoot: string;
    execRoot: string;
    pidfile: string;
    logFile: string;
    configFile: string;
    /** The bridge of the sandbox engine's default network. */
    bridge: string;
    /** Gateway address (with prefix) of that bridge: registry and package repository listen here. */
    gatewayCidr: string;
    /** cgroup parent of every sandbox container (and the memory cap for all of them). */
    cgroupParent: string;
  };
  registry: { port: number; dataDir: string };
  packages: { port: number; dir: string };
  serve: { port: number; host: string };
  /** Per-sandbox host directories (the inner engine's unix socket lives here). */
  sandboxesDir: string;
  /** Where the state is kept: a SQLite file, or a `postgres://` URL (see store/store.ts). */
  database: string;
  /**
   * `handson cluster`'s files: its state, HAProxy's config, the replicas' and the load
   * balancer's pidfiles and logs, the cluster database (HANDSON_CLUSTER_DIR; a test runs its own).
   */
  clusterDir: string;
}

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HandsonConfig {
  const home = env.HANDSON_HOME ?? '/var/lib/handson';
  const runDir = env.HANDSON_RUN_DIR ?? '/run/handson';
  const gatewayCidr = env.HANDSON_GATEWAY ?? '10.77.0.1/16';
  return {
    home,
    runDir,
    projectRoot: env.HANDSON_PROJECT_ROOT ?? repoRoot,
    engine: {
      socket: path.join(runDir, 'docker.sock'),
      dataRoot: path.join(home, 'engine'),
      execRoot: path.join(runDir, 'engine-exec'),
      pidfile: path.join(runDir, 'dockerd.pid'),
      logFile: path.join(home, 'logs', 'dockerd.log'),
      configFile: path.join(home, 'daemon.json'),
      bridge: env.HANDSON_BRIDGE ?? 'handson0',
      gatewayCidr,
      cgroupParent: env.HANDSON_CGROUP_PARENT ?? 'handson',
    },
    registry: {
      port: Number(env.HANDSON_REGISTRY_PORT ?? 5480),
      dataDir: path.join(home, 'registry'),
    },
    packages: {
      port: Number(env.HANDSON_PACKAGES_PORT ?? 5481),
      dir: path.join(home, 'packages'),
    },
    serve: {
      port: Number(env.HANDSON_PORT ?? 4321),
      host: env.HANDSON_HOST ?? '127.0.0.1',
    },
    sandboxesDir: path.join(runDir, 'sandboxes'),
    database: env.HANDSON_DATABASE ?? path.join(home, 'handson.sqlite'),
    clusterDir: env.HANDSON_CLUSTER_DIR ?? path.join(home, 'cluster'),
  };
}

/** The gateway address without its prefix length, e.g. `10.77.0.1`. */
export function gatewayAddress(cfg: HandsonConfig): string {
  return cfg.engine.gatewayCidr.split('/')[0]!;
}

/** `host:port` of the local registry as sandboxes reach it. */
export function registryAddress(cfg: HandsonConfig): string {
  return `${gatewayAddress(cfg)}:${cfg.registry.port}`;
}

/** Base URL of the local Debian package repository as sandboxes reach it. */
export function packagesUrl(cfg: HandsonConfig): string {
  return `http://${gatewayAddress(cfg)}:${cfg.packages.port}`;
}

/** Label keys put on every container, volume, network and disk the project creates. */
export const LABELS = {
  managed: 'dev.handson.managed',
  session: 'dev.handson.session',
  kind: 'dev.handson.kind',
  pool: 'dev.handson.pool',
} as const;
