import { readFileSync } from 'node:fs';
import type Docker from 'dockerode';
import type { SandboxLimits } from '../driver.ts';
import { WORKSPACE } from '../driver.ts';
import { DISK_MOUNTS } from './disk.ts';
import { ETC_HOSTS } from './etc-hosts.ts';
import { sandboxLimits } from './limits.ts';
import { RESOLV_CONF } from './resolv-conf.ts';

/**
 * The dind sandbox's security profile, as Engine API create options. ARCHITECTURE.md ("Facts the code relies on")
 * has the measurements behind it. It is only safe on a user-namespace-remapped engine
 * (the driver's preflight refuses any other): then root in here is an unprivileged uid on the
 * host and every capability below is scoped to the sandbox's own user namespace.
 */

export const SANDBOX_IMAGE = 'handson/sandbox:latest';
export const SANDBOX_HOSTNAME = 'handson';
/** Where the per-sandbox host directory (inner engine socket, delegation marker) appears inside. */
export const HOST_DIR_IN_SANDBOX = '/handson';

/** The ceilings of a sandbox whose spec names none (from the environment; see limits.ts). */
/** The value of LABELS.kind on everything a dind sandbox owns. */
export const SANDBOX_KIND = 'sandbox';

export const DEFAULT_LIMITS: SandboxLimits = sandboxLimits();

const seccompProfile = JSON.stringify(
  JSON.parse(readFileSync(new URL('./seccomp-profile.json', import.meta.url), 'utf8')),
);

export interface ProfileInput {
  name: string;
  image: string;
  hostDir: string;
  diskMount: string;
  limits: SandboxLimits;
  labels: Record<string, string>;
  env: Record<string, string>;
}

/**
 * Create options for one sandbox container.
 *
 * @example
 * await docker.createContainer(sandboxContainerOptions({ name: 'handson-sb-ab12', … }));
 */
export function sandboxContainerOptions(p: ProfileInput): Docker.ContainerCreateOptions {
  return {
    name: p.name,
    Image: p.image,
    // A friendly prompt (root@handson) instead of a container id.
    Hostname: SANDBOX_HOSTNAME,
    WorkingDir: WORKSPACE,
    Labels: p.labels,
    NetworkDisabled: true,
    Env: Object.entries(p.env).map(([k, v]) => `${k}=${v}`),
    // CgroupnsMode is Engine API ≥1.41 and missing from dockerode's types, hence the cast.
    HostConfig: {
      // Never Privileged: that would hand the learner every device and capability.
      Privileged: false,
      // Docker's default caps + SYS_ADMIN (mounts/namespaces for runc and overlayfs) + NET_ADMIN
      // (bridges, veths, iptables for the inner engine); both only count in the sandbox's user namespace.
      CapAdd: ['SYS_ADMIN', 'NET_ADMIN'],
      // Docker's default profile plus keyctl/add_key/request_key (runc's session keyring) and
      // pivot_root; see the comment block inside the JSON for what was left out and why.
      SecurityOpt: [`seccomp=${seccompProfile}`],
      // A private cgroup namespace: the host's cgroup tree (and any release_agent) stays invisible.
      CgroupnsMode: 'private',
      // The inner engine routes its containers' traffic out through the sandbox's eth0.
      Sysctls: { 'net.ipv4.ip_forward': '1' },
      // dockerd/containerd state lives in a fresh tmpfs, as on a booted host.
      Tmpfs: { '/run': 'rw,nosuid,nodev,mode=755' },
      // /sys stays read-only (Docker's default for unprivileged containers): no writes to host knobs.
      // The root filesystem is read-only too: it lives on the host's disk, outside any quota, so
      // every writable place (inner data root, /root with the workspace, /tmp, logs, /etc/docker)
      // is a directory of the sandbox's own quota disk instead.
      ReadonlyRootfs: true,
      Binds: [
        ...Object.entries(DISK_MOUNTS).map(([dir, target]) => `${p.diskMount}/${dir}:${target}`),
        // The inner engine's socket appears here on the host; the server never uses TCP.
        `${p.hostDir}:${HOST_DIR_IN_SANDBOX}`,
        // No DNS in a sandbox: lookups must fail at once, not after the embedded resolver's 10 s.
        `${p.hostDir}/${RESOLV_CONF}:/etc/resolv.conf:ro`,
        `${p.hostDir}/${ETC_HOSTS}:/etc/hosts:ro`,
      ],
      // The engine sets up no network (and so starts the sandbox ~350 ms sooner): the driver
      // plugs it into its own bridge (network.ts, plugSandbox).
      NetworkMode: 'none',
      Memory: p.limits.memoryBytes,
      // Swap counted with memory, so the ceiling is real.
      MemorySwap: p.limits.memoryBytes,
      PidsLimit: p.limits.pids,
      CpuShares: p.limits.cpuShares,
      ...cpuLimit(p.limits),
      // The server owns the lifecycle (it destroys or re-adopts); a crashed sandbox stays dead.
      RestartPolicy: { Name: 'no' },
      Init: false,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } },
    } as Docker.HostConfig,
  };
}

/**
 * A quota of `cpus` CPUs: Docker's `--cpus` (NanoCpus, always over a 100 ms period), or the same
 * share over a shorter period when one is configured. Over 100 ms, a learner's many busy threads
 * can take every core of a 2-core host for 50 ms before they are throttled; over 10 ms, for 5 ms.
 * The engine refuses quotas under 1 ms, and a period together with NanoCpus.
 *
 * @example
 * cpuLimit({ cpus: 1, cpuPeriodUs: 10_000 }) // { CpuPeriod: 10000, CpuQuota: 10000 }
 * cpuLimit({ cpus: 1 }) // { NanoCpus: 1e9 }
 */
export function cpuLimit(limits: Pick<SandboxLimits, 'cpus' | 'cpuPeriodUs'>): {
  NanoCpus?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
} {
  const { cpus, cpuPeriodUs } = limits;
  if (!cpus) return {};
  if (!cpuPeriodUs) return { NanoCpus: Math.round(cpus * 1e9) };
  return { CpuPeriod: cpuPeriodUs, CpuQuota: Math.max(1000, Math.round(cpus * cpuPeriodUs)) };
}
