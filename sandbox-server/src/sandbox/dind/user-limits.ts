import { closeSync, openSync } from 'node:fs';
import { runWithInput } from './run.ts';
import { belongsTo, type SandboxInit, SandboxProcessGone } from './sandbox-netns.ts';

/**
 * Per-sandbox bounds on what the kernel counts per user. A sandbox's user namespace is made by
 * the engine's runc, as host root, and the kernel charges what is made inside it (inotify
 * instances and watches, namespaces) both to the namespace and to its creator: host root. The
 * namespace's own bounds start unlimited, so one learner could use up host root's share
 * (`fs.inotify.max_user_instances`, 8192: the server's and the engine's file watches and every
 * other sandbox would then fail). The host writes each sandbox's own bounds, which only
 * CAP_SYS_RESOURCE in that namespace could raise (a sandbox has none; a namespace a learner makes
 * inside it is charged to it too).
 */
export const SANDBOX_USER_LIMITS = {
  // The kernel's own per-user defaults of old: plenty for dockerd, containerd, tail -f, logs -f.
  max_inotify_instances: 128,
  max_inotify_watches: 8192,
  // fanotify_init is refused by the seccomp profile; bounded anyway should that change.
  max_fanotify_groups: 16,
  max_fanotify_marks: 8192,
  // Each inner container takes one of each (a user namespace only with inner remapping): 256
  // running containers is far beyond a lesson, and 200 sandboxes stay under the host's ~96k.
  max_user_namespaces: 256,
  max_mnt_namespaces: 256,
  max_pid_namespaces: 256,
  max_net_namespaces: 256,
  max_ipc_namespaces: 256,
  max_uts_namespaces: 256,
  max_cgroup_namespaces: 256,
  max_time_namespaces: 256,
} as const;

/** The shell that writes the bounds (as the namespace's root, inside it). */
export function userLimitsScript(limits: Record<string, number> = SANDBOX_USER_LIMITS): string {
  return Object.entries(limits)
    .map(([name, value]) => `echo ${value} > /proc/sys/user/${name}`)
    .join(' && ');
}

/**
 * Write the sandbox's bounds from the host: nsenter joins its user namespace (through an fd
 * opened while the pid was still the sandbox's) and becomes its root, the one user that may
 * write them there. Nothing of the sandbox runs: the shell is the host's, in the host's mounts.
 *
 * @example
 * await boundUserLimits({ pid: info.State.Pid, containerId: info.Id });
 */
export async function boundUserLimits(init: SandboxInit): Promise<void> {
  let fd: number;
  try {
    fd = openSync(`/proc/${init.pid}/ns/user`, 'r');
  } catch {
    throw new SandboxProcessGone(`process ${init.pid} is gone`);
  }
  try {
    if (!belongsTo(init))
      throw new SandboxProcessGone(`process ${init.pid} is no longer the sandbox's`);
    await runWithInput('nsenter', ['--user=/proc/self/fd/3', 'sh', '-s'], userLimitsScript(), fd);
  } finally {
    closeSync(fd);
  }
}
