import os from 'node:os';
import path from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import { PortForwarders } from './port-forwarders.ts';

/**
 * What every handle on every sandbox of one driver shares: the port listeners, and the queue
 * terminal starts wait in.
 *
 * Starting a terminal is an Engine API exec, and each costs the sandbox engine ~150 ms of CPU
 * (dockerd, containerd, runc in a user namespace) on this kind of machine. A whole class opening
 * its terminals at once (a workshop's start, every browser reconnecting after a server restart)
 * would otherwise start them all together: each then waits for all the others, and past the start
 * timeout they all fail. Queued, each starts at full speed and the class comes in one by one.
 */
export interface SharedBySandboxes {
  forwarders: PortForwarders;
  /** Runs a terminal start once fewer than `TERMINAL_STARTS_AT_ONCE` are under way. */
  terminalStarts: LimitFunction;
}

/** Enough to keep every core busy while one start waits on a slow sandbox. */
export const TERMINAL_STARTS_AT_ONCE = Math.max(4, 2 * os.availableParallelism());

export function sharedBySandboxes(runDir: string): SharedBySandboxes {
  return {
    forwarders: new PortForwarders(path.join(runDir, 'ports')),
    terminalStarts: pLimit(TERMINAL_STARTS_AT_ONCE),
  };
}
