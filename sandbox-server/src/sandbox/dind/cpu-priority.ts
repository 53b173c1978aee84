import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CgroupVersion } from './cgroups.ts';
import { cgroupVersion } from './cgroups.ts';

/**
 * Interactive before busy. Every sandbox may use up to its CPU quota, but a sandbox that keeps
 * the CPU busy for seconds (a fork bomb, a burner, a long build) gets a small CPU weight until
 * it calms down. Weights only matter when the CPU is contended: alone on the host a busy
 * sandbox still gets its whole quota, while in a class the learners who only type and check
 * win every time they need the CPU, so one learner's loop cannot slow the others' keystrokes.
 * The weights are written by host root on the sandbox's own cgroup, which the sandbox cannot
 * write (see DELEGATED_FILES).
 */

/** How much lower a busy sandbox's weight is than its normal one. */
export const BUSY_WEIGHT_DIVISOR = 16;

export interface CpuPriorityOptions {
  /** CPUs a sandbox uses on average over the window before it counts as busy. */
  busyCpus: number;
  /** It counts as calm again under this (lower, so it does not flap). */
  calmCpus: number;
  /** Samples averaged (one per `intervalMs`). */
  window: number;
  intervalMs: number;
}

export const DEFAULT_CPU_PRIORITY: CpuPriorityOptions = {
  busyCpus: 0.5,
  calmCpus: 0.2,
  window: 4,
  intervalMs: 1000,
};

interface Tracked {
  lastUsageNs: number;
  lastAtMs: number;
  recent: number[];
  busy: boolean;
}

/**
 * The policy, without files: fed each sandbox's cumulative CPU time, it says which ones turn
 * busy or calm.
 *
 * @example
 * const p = new CpuPriorityPolicy(DEFAULT_CPU_PRIORITY);
 * p.observe(new Map([['abc', 0]]), 0);
 * p.observe(new Map([['abc', 1e9]]), 1000); // { busy: [], calm: [] } until the window is full
 */
export class CpuPriorityPolicy {
  private readonly tracked = new Map<string, Tracked>();

  constructor(private readonly opts: CpuPriorityOptions) {}

  observe(usageNs: ReadonlyMap<string, number>, nowMs: number): { busy: string[]; calm: string[] } {
    const busy: string[] = [];
    const calm: string[] = [];
    for (const id of this.tracked.keys()) if (!usageNs.has(id)) this.tracked.delete(id);
    for (const [id, usage] of usageNs) {
      const t = this.tracked.get(id);
      if (!t) {
        this.tracked.set(id, { lastUsageNs: usage, lastAtMs: nowMs, recent: [], busy: false });
        continue;
      }
      const elapsedMs = nowMs - t.lastAtMs;
      if (elapsedMs <= 0) continue;
      const cpus = Math.max(0, usage - t.lastUsageNs) / 1e6 / elapsedMs;
      t.lastUsageNs = usage;
      t.lastAtMs = nowMs;
      t.recent.push(cpus);
      if (t.recent.length > this.opts.window) t.recent.shift();
      if (t.recent.length < this.opts.window) continue;
      const average = t.recent.reduce((a, b) => a + b, 0) / t.recent.length;
      if (!t.busy && average >= this.opts.busyCpus) {
        t.busy = true;
        busy.push(id);
      } else if (t.busy && average < this.opts.calmCpus) {
        t.busy = false;
        calm.push(id);
      }
    }
    return { busy, calm };
  }

  isBusy(id: string): boolean {
    return this.tracked.get(id)?.busy ?? false;
  }
}

const CONTAINER_ID = /^[0-9a-f]{64}$/;

/**
 * A sandbox's normal and busy weight in the files of each cgroup version, from the CPU shares
 * it was created with (v2: runc's conversion of shares to cpu.weight).
 *
 * @example
 * weights(1, 1024) // { normal: 1024, busy: 64 }
 * weights(2, 1024) // { normal: 39, busy: 2 }
 */
export function weights(version: CgroupVersion, shares: number): { normal: number; busy: number } {
  const normal = version === 1 ? shares : 1 + Math.floor(((shares - 2) * 9999) / 262142);
  const min = version === 1 ? 2 : 1;
  return { normal, busy: Math.max(min, Math.floor(normal / BUSY_WEIGHT_DIVISOR)) };
}

/** Where each cgroup version keeps a container's CPU time and its weight. */
function files(version: CgroupVersion, root: string, parent: string) {
  return version === 1
    ? {
        usage: (id: string) => path.join(root, 'cpuacct', parent, id, 'cpuacct.usage'),
        list: path.join(root, 'cpuacct', parent),
        weight: (id: string) => path.join(root, 'cpu', parent, id, 'cpu.shares'),
      }
    : {
        usage: (id: string) => path.join(root, parent, id, 'cpu.stat'),
        list: path.join(root, parent),
        weight: (id: string) => path.join(root, parent, id, 'cpu.weight'),
      };
}

/** Cumulative CPU time in ns from cpuacct.usage (v1) or cpu.stat's usage_usec (v2). */
export function parseUsageNs(version: CgroupVersion, text: string): number | undefined {
  if (version === 1) {
    const n = Number(text.trim());
    return text.trim() !== '' && Number.isFinite(n) ? n : undefined;
  }
  const m = /^usage_usec (\d+)$/m.exec(text);
  return m ? Number(m[1]) * 1000 : undefined;
}

/**
 * Give a busy sandbox the busy weight, and a calm one that has it its normal weight back. Written
 * only when it differs: several replicas on one host may all keep the same sandboxes fair. The
 * busy weight itself marks a lowered sandbox, so a round that missed a sandbox (its counter
 * unreadable for a moment) or a restarted server still restores it.
 */
async function applyWeight(
  file: string,
  busy: boolean,
  weight: { normal: number; busy: number },
): Promise<void> {
  const current = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (current === '') return;
  const wanted = busy ? weight.busy : current === String(weight.busy) ? weight.normal : undefined;
  if (wanted !== undefined && current !== String(wanted)) {
    await writeFile(file, String(wanted)).catch(() => undefined);
  }
}

/**
 * Keep the sandboxes under the engine's cgroup parent fair until `signal` aborts: sample each
 * one's CPU time every interval, give busy ones the busy weight and calm ones their normal
 * weight. Every round states the weights again, so two processes doing this (replicas on one
 * host) agree, and one that stops hands over cleanly. A vanished cgroup is simply forgotten.
 *
 * @example
 * void keepCpuFair('handson', 1024, controller.signal);
 */
export async function keepCpuFair(
  parent: string,
  shares: number,
  signal: AbortSignal,
  opts: CpuPriorityOptions = DEFAULT_CPU_PRIORITY,
  root = '/sys/fs/cgroup',
): Promise<void> {
  const version = cgroupVersion(root);
  const f = files(version, root, parent);
  const weight = weights(version, shares);
  const policy = new CpuPriorityPolicy(opts);
  let seen: string[] = [];
  while (!signal.aborted) {
    const usage = new Map<string, number>();
    const names = await readdir(f.list).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((name) => CONTAINER_ID.test(name))
        .map(async (id) => {
          const text = await readFile(f.usage(id), 'utf8').catch(() => undefined);
          const ns = text === undefined ? undefined : parseUsageNs(version, text);
          if (ns !== undefined) usage.set(id, ns);
        }),
    );
    policy.observe(usage, Date.now());
    seen = [...usage.keys()];
    await Promise.all(seen.map((id) => applyWeight(f.weight(id), policy.isBusy(id), weight)));
    await sleep(opts.intervalMs, undefined, { signal }).catch(() => undefined);
  }
  // Leave the sandboxes as the engine made them: a restarted server starts from normal weights.
  await Promise.all(seen.map((id) => applyWeight(f.weight(id), false, weight)));
}
