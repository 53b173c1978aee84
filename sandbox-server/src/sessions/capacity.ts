import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * How many sandboxes this host can run at once. A sandbox's memory ceiling (1 GiB) is far above
 * what one really uses, so capacity is the memory available to the sandboxes' cgroup parent
 * divided by the measured working set of an active sandbox (~160 MB: an idle one is ~32 MB,
 * plus a learner's container or two).
 */

const UNLIMITED = 2 ** 60;

/**
 * The memory limit of a cgroup, in bytes, or undefined when unlimited or unreadable.
 * Handles cgroup v1 (`memory/<parent>/memory.limit_in_bytes`) and v2 (`<parent>/memory.max`).
 *
 * @example
 * cgroupMemoryLimit('handson') // 17179869184, or undefined
 */
export function cgroupMemoryLimit(
  cgroupParent: string,
  root = '/sys/fs/cgroup',
): number | undefined {
  const candidates = [
    path.join(root, 'memory', cgroupParent, 'memory.limit_in_bytes'),
    path.join(root, cgroupParent, 'memory.max'),
  ];
  for (const file of candidates) {
    let raw: string;
    try {
      raw = fs.readFileSync(file, 'utf8').trim();
    } catch {
      continue;
    }
    if (raw === 'max') return undefined;
    const n = Number(raw);
    return Number.isFinite(n) && n > 0 && n < UNLIMITED ? n : undefined;
  }
  return undefined;
}

export interface CapacityInput {
  /** The memory cap of the sandboxes' cgroup parent, if any. */
  cgroupLimitBytes: number | undefined;
  /** Total host memory. */
  hostMemoryBytes: number;
  workingSetBytes: number;
}

/**
 * Default max concurrent sandboxes. Without a cgroup cap, keep a quarter of the host (at least
 * 2 GiB) for the server, the registry and the host itself.
 *
 * @example
 * defaultCapacity({ cgroupLimitBytes: 16 * 2 ** 30, hostMemoryBytes: 24 * 2 ** 30, workingSetBytes: 160 * 2 ** 20 }) // 102
 */
export function defaultCapacity(input: CapacityInput): number {
  const reserve = Math.max(2 * 2 ** 30, input.hostMemoryBytes / 4);
  const available = input.cgroupLimitBytes ?? Math.max(0, input.hostMemoryBytes - reserve);
  return Math.max(1, Math.floor(available / input.workingSetBytes));
}

/** Capacity for this host: the configured number, else derived from its memory. */
export function resolveCapacity(
  configured: number | undefined,
  cgroupParent: string,
  workingSetBytes: number,
): number {
  if (configured !== undefined) return configured;
  return defaultCapacity({
    cgroupLimitBytes: cgroupMemoryLimit(cgroupParent),
    hostMemoryBytes: os.totalmem(),
    workingSetBytes,
  });
}
