import type Docker from 'dockerode';
import type { CheckContext } from '../../../../sandbox-server/src/checks/context.ts';
import type { ExecResult, Sandbox } from '../../../../sandbox-server/src/sandbox/driver.ts';

/**
 * A small stand-in for the inner engine: only the dockerode calls the evaluators make, answered
 * from plain objects, with a 404 for anything absent (as the Engine API does).
 */

export interface FakeWorld {
  containers?: Record<string, Record<string, unknown>>;
  images?: Record<string, Record<string, unknown>>;
  networks?: Record<string, Record<string, unknown>>;
  volumes?: Record<string, Record<string, unknown>>;
  /** Raw multiplexed log bytes per container. */
  logs?: Record<string, Buffer>;
  changes?: Record<string, { Path: string; Kind: number }[]>;
  /** Container names per volume, for `listContainers({filters: {volume}})`. */
  mounts?: Record<string, string[]>;
}

export interface FakeCalls {
  logs: Record<string, unknown>[];
}

function notFound(what: string): Error {
  return Object.assign(new Error(`no such object: ${what}`), { statusCode: 404 });
}

function found<T>(table: Record<string, T> | undefined, name: string): T {
  const value = table?.[name];
  if (value === undefined) throw notFound(name);
  return value;
}

/**
 * An engine answering from `world`; `calls` records what the evaluators asked for.
 *
 * @example
 * const { docker } = fakeEngine({ containers: { web: container({ Name: '/web' }) } });
 */
export function fakeEngine(world: FakeWorld): { docker: Docker; calls: FakeCalls } {
  const calls: FakeCalls = { logs: [] };
  const docker = {
    getContainer: (name: string) => ({
      inspect: async () => found(world.containers, name),
      changes: async () => {
        found(world.containers, name);
        return world.changes?.[name] ?? [];
      },
      logs: async (opts: Record<string, unknown>) => {
        calls.logs.push(opts);
        found(world.containers, name);
        return world.logs?.[name] ?? Buffer.alloc(0);
      },
    }),
    getImage: (ref: string) => ({ inspect: async () => found(world.images, ref) }),
    getNetwork: (name: string) => ({ inspect: async () => found(world.networks, name) }),
    getVolume: (name: string) => ({ inspect: async () => found(world.volumes, name) }),
    listContainers: async (opts: { filters?: Record<string, string[]> }) => {
      const volume = opts.filters?.volume?.[0];
      const names =
        volume !== undefined ? (world.mounts?.[volume] ?? []) : Object.keys(world.containers ?? {});
      return names.map((name) => ({ Id: name, Names: [`/${name}`] }));
    },
  } as unknown as Docker;
  return { docker, calls };
}

/** Inspect data of a container, with the fields the evaluators read. */
export function container(
  name: string,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    Name: `/${name}`,
    Image: 'sha256:nginx',
    Config: { Image: 'nginx', Env: ['PATH=/usr/bin'], Labels: {}, Tty: false },
    State: { Status: 'running', ExitCode: 0 },
    HostConfig: {},
    NetworkSettings: { Ports: {} },
    ...over,
  };
}

/** The Engine API's multiplexed stream: an 8-byte header per frame. */
export function frames(...parts: [stream: 1 | 2, text: string][]): Buffer {
  return Buffer.concat(
    parts.map(([stream, text]) => {
      const payload = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    }),
  );
}

/** A check context over `docker` and a sandbox with only the methods given. */
export function contextWith(docker: Docker, sandbox: Partial<Sandbox> = {}): CheckContext {
  return { docker, sandbox: sandbox as Sandbox, signal: new AbortController().signal };
}

export type { ExecResult };
