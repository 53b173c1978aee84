import { closeSync, openSync, readFileSync } from 'node:fs';

/**
 * The sandbox's network namespace as the host reaches it: through its init's /proc entry, but
 * only while that pid is still the sandbox's (a recycled pid must never hand over the host's).
 */

/** The sandbox's init as the host sees it. */
export interface SandboxInit {
  pid: number;
  /** The container's full id, which its processes' cgroup paths contain. */
  containerId: string;
}

/** Thrown when the sandbox's init is gone (stopped, restarted, reaped). */
export class SandboxProcessGone extends Error {}

/** Whether `pid` is still a process of container `containerId` (its cgroup path names it). */
export function belongsTo(init: SandboxInit): boolean {
  try {
    return readFileSync(`/proc/${init.pid}/cgroup`, 'utf8').includes(init.containerId);
  } catch {
    return false;
  }
}

/**
 * Open the network namespace of the sandbox's init, but only while that pid still belongs to
 * the container (checked after opening, so a recycled pid cannot hand us the host's namespace).
 */
export function openSandboxNetns(init: SandboxInit): number {
  let fd: number;
  try {
    fd = openSync(`/proc/${init.pid}/ns/net`, 'r');
  } catch {
    throw new SandboxProcessGone(`process ${init.pid} is gone`);
  }
  if (!belongsTo(init)) {
    closeSync(fd);
    throw new SandboxProcessGone(`process ${init.pid} is no longer the sandbox's`);
  }
  return fd;
}
