import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** What the host spends while a class runs: the sandboxes' memory and the CPU's busy share. */

/** Memory the sandboxes use: the sum of their cgroups (v1 parents here report 0 themselves). */
export async function engineMemoryMb(cgroupParent: string): Promise<number> {
  for (const [dir, file] of [
    [`/sys/fs/cgroup/memory/${cgroupParent}`, 'memory.usage_in_bytes'],
    [`/sys/fs/cgroup/${cgroupParent}`, 'memory.current'],
  ] as const) {
    const children = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
    if (!children) continue;
    let bytes = 0;
    for (const child of children.filter((c) => c.isDirectory())) {
      bytes += Number(await readFile(path.join(dir, child.name, file), 'utf8').catch(() => 0));
    }
    return Math.round(bytes / 2 ** 20);
  }
  return Number.NaN;
}

/** The host's CPU time so far (/proc/stat's first line, in ticks): idle (with iowait) and total. */
async function cpuTimes(): Promise<{ idle: number; total: number }> {
  const first = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const ticks = first.trim().split(/\s+/).slice(1).map(Number);
  return {
    idle: (ticks[3] ?? 0) + (ticks[4] ?? 0),
    total: ticks.reduce((sum, t) => sum + t, 0),
  };
}

/**
 * The share of the host's CPU time busy from now until `busy()` is called, in %.
 *
 * @example
 * const cpu = await cpuBusySince();
 * await measure();
 * console.log(await cpu.busy()); // 63
 */
export async function cpuBusySince(): Promise<{ busy(): Promise<number> }> {
  const before = await cpuTimes();
  return {
    busy: async () => {
      const after = await cpuTimes();
      return Math.round(100 * (1 - (after.idle - before.idle) / (after.total - before.total)));
    },
  };
}
