import os from 'node:os';
import path from 'node:path';
import { FairQueue } from '../fair-queue.ts';
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
 * The queue takes turns between sandboxes, so one learner's 300 starts delay no one else's.
 */
export interface SharedBySandboxes {
  forwarders: PortForwarders;
  /**
   * Runs a terminal start (keyed by sandbox) once fewer than `TERMINAL_STARTS_AT_ONCE` are under
   * way and fewer than `TERMINAL_STARTS_PER_SANDBOX` of that sandbox.
   */
  terminalStarts: FairQueue;
}

/** Enough to keep every core busy while one start waits on a slow sandbox. */
export const TERMINAL_STARTS_AT_ONCE = Math.max(4, 2 * os.availableParallelism());

/** One sandbox's share of the queue at a time. */
export const TERMINAL_STARTS_PER_SANDBOX = 2;

export function sharedBySandboxes(runDir: string): SharedBySandboxes {
  return {
    forwarders: new PortForwarders(path.join(runDir, 'ports')),
    terminalStarts: new FairQueue(TERMINAL_STARTS_AT_ONCE, TERMINAL_STARTS_PER_SANDBOX),
  };
}
