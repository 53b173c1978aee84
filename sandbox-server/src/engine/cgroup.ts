import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HandsonConfig } from '../config.ts';

/**
 * The host side of the sandboxes' cgroups: which version the host runs, which controllers it
 * offers, and a memory cap on the engine's cgroup parent, so memory overcommit ends sandboxes
 * (the kernel's OOM killer stays inside that cgroup), never the server or the host.
 */

export type CgroupVersion = 1 | 2;

const CGROUP_ROOT = '/sys/fs/cgroup';
const CGROUP2_SUPER_MAGIC = 0x63677270;
const GiB = 1024 ** 3;

/** cgroup v2 when /sys/fs/cgroup is a cgroup2 filesystem; v1 otherwise (a tmpfs of hierarchies). */
export function cgroupVersion(root = CGROUP_ROOT): CgroupVersion {
  try {
    if (fs.statfsSync(root).type === CGROUP2_SUPER_MAGIC) return 2;
  } catch {
    // no statfs: fall back to looking at the files
  }
  return fs.existsSync(path.join(root, 'cgroup.controllers')) ? 2 : 1;
}

/** Controllers the host enables: from /proc/cgroups (v1) or cgroup.controllers (v2). */
export function cgroupControllers(version: CgroupVersion, root = CGROUP_ROOT): string[] {
  if (version === 2) {
    return fs.readFileSync(path.join(root, 'cgroup.controllers'), 'utf8').trim().split(/\s+/);
  }
  return fs
    .readFileSync('/proc/cgroups', 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(/\s+/))
    .filter((cols) => cols[3] === '1')
    .map((cols) => cols[0]!);
}

/** Controllers a dind sandbox needs: memory/pids/cpu limits and the device allowlist (v1). */
export const REQUIRED_CONTROLLERS = ['memory', 'pids', 'cpu', 'cpuset'];

/**
 * The memory cap for all sandboxes together: `HANDSON_SANDBOX_MEMORY_MAX` (bytes, or with a
 * `K`/`M`/`G` suffix) if set, else total RAM minus 2 GiB (at least 512 MiB).
 *
 * @example
 * sandboxMemoryCap({ HANDSON_SANDBOX_MEMORY_MAX: '8G' }) // 8589934592
 */
export function sandboxMemoryCap(
  env: NodeJS.ProcessEnv = process.env,
  totalBytes = os.totalmem(),
): number {
  const raw = env.HANDSON_SANDBOX_MEMORY_MAX;
  if (raw) {
    const m = /^(\d+)([KMG]?)i?B?$/i.exec(raw.trim());
    if (!m) {
      throw new Error(
        `HANDSON_SANDBOX_MEMORY_MAX=${raw} is not a size; use bytes or a number with K, M or G (e.g. 8G).`,
      );
    }
    const unit = { '': 1, K: 1024, M: 1024 ** 2, G: GiB }[
      m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'
    ];
    return Number(m[1]) * unit;
  }
  return Math.max(totalBytes - 2 * GiB, 512 * 1024 ** 2);
}

/** The file that holds the cgroup parent's memory limit for this cgroup version. */
export function memoryLimitFile(cfg: HandsonConfig, version: CgroupVersion, root = CGROUP_ROOT) {
  return version === 1
    ? path.join(root, 'memory', cfg.engine.cgroupParent, 'memory.limit_in_bytes')
    : path.join(root, cfg.engine.cgroupParent, 'memory.max');
}

/**
 * Create the engine's cgroup parent (before dockerd does) and cap its memory. Returns the
 * limit written. Needs root.
 *
 * @example
 * applyMemoryCap(loadConfig(), sandboxMemoryCap()); // /sys/fs/cgroup/memory/handson capped
 */
export function applyMemoryCap(cfg: HandsonConfig, bytes: number, root = CGROUP_ROOT): number {
  const version = cgroupVersion(root);
  const file = memoryLimitFile(cfg, version, root);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (version === 2) {
    // The memory controller must be enabled for the root's children before memory.max exists.
    const control = path.join(root, 'cgroup.subtree_control');
    if (!fs.readFileSync(control, 'utf8').split(/\s+/).includes('memory')) {
      fs.writeFileSync(control, '+memory');
    }
  }
  fs.writeFileSync(file, String(bytes));
  return bytes;
}

/** The cap currently on the cgroup parent, or undefined when none is set (or it does not exist). */
export function currentMemoryCap(cfg: HandsonConfig, root = CGROUP_ROOT): number | undefined {
  try {
    const text = fs.readFileSync(memoryLimitFile(cfg, cgroupVersion(root), root), 'utf8').trim();
    const n = Number(text);
    // v1 reports "no limit" as a huge page-aligned number; v2 as "max".
    return Number.isFinite(n) && n < 2 ** 62 ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The CPU weight of all sandboxes together, relative to a process outside them at the default
 * (1024 in cgroup v1, 100 in v2): half. Under contention the server, the engine and the
 * registry each get twice what the whole class gets, so one learner at full CPU (or a whole
 * class) cannot starve them; an idle host still gives the sandboxes every core.
 */
export const SANDBOX_CPU_WEIGHT = { v1: 512, v2: 50 } as const;

/**
 * Set the engine's cgroup parent's CPU weight (creating the parent when needed). Needs root.
 *
 * @example
 * applyCpuWeight(loadConfig()); // /sys/fs/cgroup/cpu/handson/cpu.shares = 512
 */
export function applyCpuWeight(cfg: HandsonConfig, root = CGROUP_ROOT): number {
  const version = cgroupVersion(root);
  if (version === 1) {
    const dir = path.join(root, 'cpu', cfg.engine.cgroupParent);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'cpu.shares'), String(SANDBOX_CPU_WEIGHT.v1));
    return SANDBOX_CPU_WEIGHT.v1;
  }
  const control = path.join(root, 'cgroup.subtree_control');
  if (!fs.readFileSync(control, 'utf8').split(/\s+/).includes('cpu')) {
    fs.writeFileSync(control, '+cpu');
  }
  const dir = path.join(root, cfg.engine.cgroupParent);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cpu.weight'), String(SANDBOX_CPU_WEIGHT.v2));
  return SANDBOX_CPU_WEIGHT.v2;
}
