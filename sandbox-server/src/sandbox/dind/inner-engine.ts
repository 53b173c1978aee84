import Docker from 'dockerode';
import type { ConnectionBounds } from './bounded-socket.ts';
import { NoFollowSocketAgent } from './no-follow-agent.ts';

/**
 * The Engine API client for a sandbox's inner engine: over its unix socket, never through a
 * symlink there, and bounded, because whatever answers on that socket is the learner's.
 */

/**
 * Per connection: no inspect, list or log tail the server asks for comes near 8 MiB, and none
 * takes a minute (the longest check timeout the course uses); a check's own signal cuts sooner.
 */
export const INNER_ENGINE_BOUNDS: ConnectionBounds = { maxBytes: 8 * 2 ** 20, deadlineMs: 60_000 };

/**
 * A client for the engine behind `socketPath`; with `signal`, aborting it cuts every call.
 *
 * @example
 * const docker = innerEngineClient('/run/handson/sandboxes/x/docker.sock', { signal: AbortSignal.timeout(10_000) });
 * await docker.listContainers();
 */
export function innerEngineClient(
  socketPath: string,
  opts: { signal?: AbortSignal; bounds?: ConnectionBounds } = {},
): Docker {
  const agent = new NoFollowSocketAgent(socketPath, {
    ...(opts.bounds ?? INNER_ENGINE_BOUNDS),
    signal: opts.signal,
  });
  // docker-modem takes an `agent`; dockerode's types do not list it.
  const options: Docker.DockerOptions & { agent: NoFollowSocketAgent } = { socketPath, agent };
  return new Docker(options);
}
