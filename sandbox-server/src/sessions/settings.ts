/**
 * How long sessions live and how many may run at once. Read from the environment so an operator
 * (or a test) can shorten them without code:
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | HANDSON_SESSION_TTL | 7200 | seconds a session lives (extend restarts the clock) |
 * | HANDSON_SESSION_MAX_LIFETIME | 28800 | seconds from creation that `extend` cannot pass |
 * | HANDSON_IDLE_TIMEOUT | 1800 | seconds without typing, checks or file saves before reaping |
 * | HANDSON_MAX_SANDBOXES | derived | concurrent sandboxes; default = engine memory / working set |
 * | HANDSON_SANDBOX_WORKING_SET_MB | 160 | memory one active sandbox really uses (not its ceiling) |
 * | HANDSON_CREATE_BURST | 5 | session creations one client may make at once |
 * | HANDSON_CREATE_PER_MINUTE | 10 | sustained session creations per client per minute |
 */
export interface SessionSettings {
  ttlMs: number;
  /** `extend` never moves a session's end past its creation + this. */
  maxLifetimeMs: number;
  idleMs: number;
  /** Undefined = derive from the memory available to the sandboxes' cgroup parent. */
  maxSandboxes: number | undefined;
  workingSetBytes: number;
  createBurst: number;
  createPerMinute: number;
  /** How often the reaper looks for expired sessions. */
  reapIntervalMs: number;
  /** Expired sessions are kept this long (GET says "expired", goto revives) before deletion. */
  keepExpiredMs: number;
}

const positive = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`${name}=${raw} is not a positive number; unset it or give e.g. ${fallback}.`);
  }
  return n;
};

/**
 * Settings from the environment, with the defaults above.
 *
 * @example
 * loadSessionSettings({ HANDSON_SESSION_TTL: '60' }).ttlMs // 60000
 */
export function loadSessionSettings(env: NodeJS.ProcessEnv = process.env): SessionSettings {
  const ttlMs = positive('HANDSON_SESSION_TTL', env.HANDSON_SESSION_TTL, 7200) * 1000;
  const idleMs = positive('HANDSON_IDLE_TIMEOUT', env.HANDSON_IDLE_TIMEOUT, 1800) * 1000;
  const max = env.HANDSON_MAX_SANDBOXES;
  return {
    ttlMs,
    maxLifetimeMs:
      positive('HANDSON_SESSION_MAX_LIFETIME', env.HANDSON_SESSION_MAX_LIFETIME, 28_800) * 1000,
    idleMs,
    maxSandboxes: max ? Math.floor(positive('HANDSON_MAX_SANDBOXES', max, 1)) : undefined,
    workingSetBytes:
      positive('HANDSON_SANDBOX_WORKING_SET_MB', env.HANDSON_SANDBOX_WORKING_SET_MB, 160) * 2 ** 20,
    createBurst: positive('HANDSON_CREATE_BURST', env.HANDSON_CREATE_BURST, 5),
    createPerMinute: positive('HANDSON_CREATE_PER_MINUTE', env.HANDSON_CREATE_PER_MINUTE, 10),
    // Reap at least every 15 s, and several times per idle period so short test TTLs work.
    reapIntervalMs: Math.max(200, Math.min(15_000, Math.floor(Math.min(ttlMs, idleMs) / 4))),
    keepExpiredMs: 24 * 3600 * 1000,
  };
}
