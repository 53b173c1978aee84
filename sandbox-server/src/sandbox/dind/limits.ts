import type { SandboxLimits } from '../driver.ts';
import { type CpuPriorityOptions, DEFAULT_CPU_PRIORITY } from './cpu-priority.ts';

/**
 * Each sandbox's ceilings, from the environment (README, "Settings"). They are ceilings, not
 * reservations: an idle sandbox uses ~32 MB and next to no CPU, so a host seats far more
 * sandboxes than the ceilings add up to.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | HANDSON_SANDBOX_CPUS | 1 | CPUs one sandbox may use at most (a fork bomb or a burner gets this much) |
 * | HANDSON_SANDBOX_CPU_PERIOD_MS | (100) | the period that quota is measured over; shorter bounds how long many busy threads hold every core at once |
 * | HANDSON_SANDBOX_BUSY_CPUS | (off) | CPUs a sandbox uses for seconds before it weighs less than the others (e.g. 0.5) |
 * | HANDSON_SANDBOX_MEMORY | 1G | memory (and swap) of one sandbox; beyond it the kernel OOM-kills inside it |
 * | HANDSON_SANDBOX_PIDS | 1024 | processes and threads of one sandbox |
 * | HANDSON_SANDBOX_DISK | 4G | size of one sandbox's disk (images, containers, workspace, /tmp) |
 */
export function sandboxLimits(env: NodeJS.ProcessEnv = process.env): SandboxLimits {
  const periodMs = env.HANDSON_SANDBOX_CPU_PERIOD_MS;
  return {
    ...(periodMs ? { cpuPeriodUs: cpuPeriodUs(periodMs) } : {}),
    memoryBytes: size('HANDSON_SANDBOX_MEMORY', env.HANDSON_SANDBOX_MEMORY, 1024 ** 3),
    pids: Math.floor(number('HANDSON_SANDBOX_PIDS', env.HANDSON_SANDBOX_PIDS, 1024)),
    cpuShares: 1024,
    cpus: number('HANDSON_SANDBOX_CPUS', env.HANDSON_SANDBOX_CPUS, 1),
    diskBytes: size('HANDSON_SANDBOX_DISK', env.HANDSON_SANDBOX_DISK, 4 * 1024 ** 3),
  };
}

/**
 * When a sandbox counts as busy (see cpu-priority.ts), or undefined when
 * HANDSON_SANDBOX_BUSY_CPUS is unset or 0: off by default. Measured in the fairness bench it
 * helped against CPU-bound attacks but made a disk fill far worse once (a lowered writer holds
 * the disk pool's one journal that every sandbox's writes wait for), and the rounds varied more
 * than the effect; it stays an option until repeated runs settle it.
 *
 * @example
 * cpuPriorityOptions({ HANDSON_SANDBOX_BUSY_CPUS: '0.8' }) // busy from 0.8 CPU, calm under 0.32
 */
export function cpuPriorityOptions(
  env: NodeJS.ProcessEnv = process.env,
): CpuPriorityOptions | undefined {
  const raw = env.HANDSON_SANDBOX_BUSY_CPUS;
  if (raw === undefined || raw === '' || raw === '0') return undefined;
  const busyCpus = number('HANDSON_SANDBOX_BUSY_CPUS', raw, DEFAULT_CPU_PRIORITY.busyCpus);
  // Calm at 40 % of busy, as the policy's defaults (0.5 → 0.2): a sandbox near the line does not flap.
  return { ...DEFAULT_CPU_PRIORITY, busyCpus, calmCpus: busyCpus * 0.4 };
}

/** The kernel takes CFS periods from 1 ms to 1 s. */
function cpuPeriodUs(raw: string): number {
  const ms = number('HANDSON_SANDBOX_CPU_PERIOD_MS', raw, 100);
  if (ms < 1 || ms > 1000) {
    throw new Error(`HANDSON_SANDBOX_CPU_PERIOD_MS=${raw} is outside 1–1000 (milliseconds).`);
  }
  return Math.round(ms * 1000);
}

function number(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`${name}=${raw} is not a positive number; unset it or give e.g. ${fallback}.`);
  }
  return n;
}

/**
 * Bytes from `raw`: a number, optionally with K, M or G (powers of 1024).
 *
 * @example
 * size('HANDSON_SANDBOX_DISK', '2G', 0) // 2147483648
 */
export function size(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]?)i?B?$/i.exec(raw.trim());
  if (!m || Number(m[1]) <= 0) {
    throw new Error(
      `${name}=${raw} is not a size; use bytes or a number with K, M or G (e.g. 2G).`,
    );
  }
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[
    m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'
  ];
  return Math.floor(Number(m[1]) * unit);
}
