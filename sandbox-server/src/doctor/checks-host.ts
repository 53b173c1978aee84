import { REQUIRED_CONTROLLERS } from '../engine/cgroup.ts';
import type { CheckResult, DoctorProbes } from './types.ts';

/** Host programs the project runs, and the Debian package that brings each. */
export const HOST_TOOLS = [
  { program: 'dockerd', pkg: 'docker.io', why: 'the sandbox engine' },
  { program: 'containerd', pkg: 'containerd', why: "runs the sandbox engine's containers" },
  { program: 'docker-registry', pkg: 'docker-registry', why: 'the local image registry' },
  { program: 'busybox', pkg: 'busybox-static', why: 'serves the package repository' },
  { program: 'debootstrap', pkg: 'debootstrap', why: 'builds the Debian images' },
  { program: 'dpkg-scanpackages', pkg: 'dpkg-dev', why: 'indexes the package repository' },
  { program: 'tini', pkg: 'tini', why: 'the init in sandboxes' },
  { program: 'newuidmap', pkg: 'uidmap', why: 'user-namespace remapping' },
  { program: 'iptables', pkg: 'iptables', why: 'sandbox egress rules' },
  { program: 'mkfs.ext4', pkg: 'e2fsprogs', why: 'per-sandbox disk quotas' },
  { program: 'ip', pkg: 'iproute2', why: 'the sandbox bridge' },
  { program: 'losetup', pkg: 'mount', why: 'loop-mounted sandbox disks' },
  { program: 'nsenter', pkg: 'util-linux', why: "reaching a sandbox's own ports" },
  { program: 'socat', pkg: 'socat', why: "reaching a sandbox's own ports" },
] as const;

/** Every host program is installed. docker.io is only proposed when no dockerd exists at all. */
export function checkTools(p: DoctorProbes): CheckResult {
  const missing = HOST_TOOLS.filter((t) => !p.which(t.program));
  if (missing.length === 0) {
    return {
      name: 'tools',
      ok: true,
      detail: `all ${HOST_TOOLS.length} host programs are installed`,
    };
  }
  const packages = [...new Set(missing.map((t) => t.pkg))];
  return {
    name: 'tools',
    ok: false,
    detail: `missing: ${missing.map((t) => `${t.program} (${t.why})`).join(', ')}`,
    hint: `apt-get install -y ${packages.join(' ')}`,
    fix: 'apt-install',
    packages,
  };
}

/** cgroup version and the controllers sandboxes are limited with; and the sandboxes' memory cap. */
export function checkCgroups(p: DoctorProbes): CheckResult {
  const { version, controllers, memoryCap } = p.cgroup();
  const missing = REQUIRED_CONTROLLERS.filter((c) => !controllers.includes(c));
  if (missing.length > 0) {
    return {
      name: 'cgroups',
      ok: false,
      detail: `cgroup v${version} lacks the ${missing.join(', ')} controller(s); sandbox limits need them`,
      hint: 'Enable them on the kernel command line (e.g. cgroup_enable=memory) and reboot.',
    };
  }
  const cap =
    memoryCap === undefined
      ? 'no memory cap on the sandboxes yet'
      : `sandboxes capped at ${gib(memoryCap)}`;
  return {
    name: 'cgroups',
    ok: memoryCap !== undefined,
    detail: `cgroup v${version} with ${REQUIRED_CONTROLLERS.join(', ')}; ${cap}`,
    ...(memoryCap === undefined && {
      hint: 'Starting the sandbox engine sets the cap (HANDSON_SANDBOX_MEMORY_MAX, default RAM − 2 GiB): npx handson doctor --fix',
      fix: 'start-engine' as const,
    }),
  };
}

/**
 * Capabilities a dind sandbox is given (Docker's defaults + SYS_ADMIN + NET_ADMIN, scoped to its
 * user namespace): the host's bounding set must hold them, or the engine cannot grant them.
 */
export const SANDBOX_CAPABILITIES: Record<string, number> = {
  CHOWN: 0,
  DAC_OVERRIDE: 1,
  FOWNER: 3,
  FSETID: 4,
  KILL: 5,
  SETGID: 6,
  SETUID: 7,
  SETPCAP: 8,
  NET_BIND_SERVICE: 10,
  NET_ADMIN: 12,
  NET_RAW: 13,
  SYS_CHROOT: 18,
  SYS_ADMIN: 21,
  MKNOD: 27,
  AUDIT_WRITE: 29,
  SETFCAP: 31,
};

export function checkCapabilities(p: DoctorProbes): CheckResult {
  const bounding = p.capabilityBoundingSet();
  const missing = Object.entries(SANDBOX_CAPABILITIES)
    .filter(([, bit]) => (bounding & (1n << BigInt(bit))) === 0n)
    .map(([name]) => `CAP_${name}`);
  if (missing.length === 0) {
    return {
      name: 'capabilities',
      ok: true,
      detail: `the bounding set holds all ${Object.keys(SANDBOX_CAPABILITIES).length} capabilities sandboxes get`,
    };
  }
  return {
    name: 'capabilities',
    ok: false,
    detail: `the bounding set lacks ${missing.join(', ')}, which sandboxes need`,
    hint: 'Run handson on a host (or in a container) whose bounding set keeps them, e.g. not under a restricted container runtime.',
  };
}

/** Per-sandbox disks are loop-mounted ext4 files. */
export function checkLoopDevices(p: DoctorProbes): CheckResult {
  const ok = p.exists('/dev/loop-control');
  return {
    name: 'loop devices',
    ok,
    detail: ok
      ? '/dev/loop-control is present'
      : '/dev/loop-control is missing: sandbox disk quotas cannot be mounted',
    ...(!ok && { hint: 'Load the loop module (modprobe loop) or give the machine loop devices.' }),
  };
}

/**
 * Kernel limits counted per *user*: every remapped sandbox runs as the same host user, and what
 * is made in a sandbox's user namespace also counts for its creator, host root. inotify: each
 * sandbox is bounded to 128 instances and 8192 watches (user-limits.ts), so host root's own
 * limits must hold every seat's share plus its own (~500 seats here). Keys: the engine's runc
 * gives every sandbox and exec a session keyring; at the default 200 keys per user, a class of
 * ~75 sandboxes could no longer start a shell ("unable to create session key: disk quota
 * exceeded"). About 70 bytes per key.
 */
export const USER_LIMIT_MINIMUMS = {
  'fs.inotify.max_user_instances': 65536,
  'fs.inotify.max_user_watches': 4194304,
  'kernel.keys.maxkeys': 20000,
  'kernel.keys.maxbytes': 2000000,
} as const;

export function checkUserLimits(p: DoctorProbes): CheckResult {
  const low = Object.entries(USER_LIMIT_MINIMUMS).filter(
    ([name, min]) => (p.sysctl(name) ?? 0) < min,
  );
  const now = Object.keys(USER_LIMIT_MINIMUMS)
    .map((name) => `${name.split('.').pop()}=${p.sysctl(name) ?? '?'}`)
    .join(', ');
  if (low.length === 0) return { name: 'per-user kernel limits', ok: true, detail: now };
  return {
    name: 'per-user kernel limits',
    ok: false,
    detail: `${now}: too low for many sandboxes sharing one remapped user`,
    hint: low.map(([name, min]) => `sysctl -w ${name}=${min}`).join(' && '),
    fix: 'raise-user-limits',
  };
}

/** Images, registry storage, the database and the sandbox disk pool live under HANDSON_HOME. */
export const MIN_FREE_BYTES = 5 * 1024 ** 3;

/** Free disk under HANDSON_HOME, beside the pool: the registry's and the database's room. */
export function checkDisk(p: DoctorProbes, home: string): CheckResult {
  const free = p.freeBytes(home);
  const ok = free >= MIN_FREE_BYTES;
  return {
    name: 'disk',
    ok,
    detail: `${gib(free)} free on ${home}${ok ? '' : ` (need at least ${gib(MIN_FREE_BYTES)})`}`,
    ...(!ok && { hint: `Free space on ${home}, or set HANDSON_HOME to a larger filesystem.` }),
  };
}

/**
 * The sandbox disk pool (disk-pool.ts) is mounted, and its headroom above the watermark under
 * which no new sandbox starts (disk-headroom.ts): how much learners can still fill before the
 * server turns new ones away.
 */
export function checkDiskPool(p: DoctorProbes, watermark: number): CheckResult {
  const name = 'sandbox disk pool';
  const pool = p.diskPool();
  if (!pool) {
    return {
      name,
      ok: false,
      detail: 'not mounted: sandbox disks would have nowhere to go but the host filesystem',
      hint: 'sudo npx handson setup (makes it: HANDSON_DISK_POOL, default half the free disk)',
      fix: 'mount-disk-pool',
    };
  }
  const of = `${gib(pool.freeBytes)} free of ${gib(pool.sizeBytes)} at ${pool.mountPoint}`;
  if (pool.freeBytes < watermark) {
    return {
      name,
      ok: false,
      detail: `${of}; under the ${gib(watermark)} watermark: no new sandbox starts`,
      hint: 'Space comes back as learners leave; or lower HANDSON_DISK_WATERMARK.',
    };
  }
  return {
    name,
    ok: true,
    detail: `${of}; new sandboxes start until ${gib(watermark)} is left (headroom ${gib(pool.freeBytes - watermark)})`,
  };
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
