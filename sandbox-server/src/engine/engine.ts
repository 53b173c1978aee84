import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import type { HandsonConfig } from '../config.ts';
import { ensureBridge } from '../system/bridge.ts';
import {
  isAlive,
  logTail,
  processCmdline,
  removeStalePidfile,
  runningPid,
  startManaged,
  stopManaged,
  waitFor,
} from '../system/managed-process.ts';
import { applyCpuWeight, applyMemoryCap, sandboxMemoryCap } from './cgroup.ts';
import { dockerdArgs, findDockerd, prepareDaemonFiles } from './daemon.ts';
import { likelyEngineFailure } from './diagnose.ts';

/**
 * The project's own sandbox engine as a managed background process: adopted when its pidfile
 * names a live dockerd on our socket, started otherwise, stopped on request. A Docker the user
 * runs (/var/run/docker.sock) is never read, configured or stopped here.
 */

export interface EngineStatus {
  pid: number | undefined;
  answering: boolean;
  version?: string;
  /** Whether the engine runs with user-namespace remapping (required for dind sandboxes). */
  userns?: boolean;
  /** False when it runs with flags an older handson gave it (setup restarts it). */
  current?: boolean;
  logFile: string;
}

/** An Engine API client for the sandbox engine. */
export function engineClient(cfg: HandsonConfig): Docker {
  return new Docker({ socketPath: cfg.engine.socket, timeout: 30_000 });
}

/** The containerd dockerd starts for us: its command line names its config in our exec root. */
function containerdPidfileSpec(cfg: HandsonConfig) {
  const dir = path.join(cfg.engine.execRoot, 'containerd');
  return {
    pidfile: path.join(dir, 'containerd.pid'),
    command: 'containerd',
    signature: path.join(dir, 'containerd.toml'),
  };
}

function processSpec(cfg: HandsonConfig) {
  // The socket path is in dockerd's command line: that is how we know a dockerd is ours.
  return { pidfile: cfg.engine.pidfile, command: 'dockerd', signature: cfg.engine.socket };
}

/** Whether the engine answers a ping within `timeoutMs`. */
export async function pingEngine(cfg: HandsonConfig, timeoutMs = 2_000): Promise<boolean> {
  if (!fs.existsSync(cfg.engine.socket)) return false;
  const docker = new Docker({ socketPath: cfg.engine.socket, timeout: timeoutMs });
  try {
    await docker.ping();
    return true;
  } catch {
    return false;
  }
}

/**
 * Start the sandbox engine unless ours already runs, then wait until it answers. On failure the
 * error carries the log tail and the likely cause.
 *
 * @example
 * const { pid, adopted } = await ensureEngine(loadConfig());
 */
export async function ensureEngine(
  cfg: HandsonConfig,
  opts: { timeoutMs?: number } = {},
): Promise<{ pid: number | undefined; adopted: boolean }> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const spec = processSpec(cfg);
  const existing = runningPid(spec);
  if (existing !== undefined && startedWithOtherFlags(existing, cfg)) {
    // An upgrade changed how the engine must run: adopting it would keep the old behaviour.
    process.stderr.write(
      `handson: the sandbox engine (pid ${existing}) runs with older settings; restarting it (its sandboxes end)\n`,
    );
    await stopEngine(cfg);
  } else if (existing !== undefined) {
    // An adopted engine may predate the cap (or someone lifted it): set it either way.
    capSandboxMemory(cfg);
    if (await waitFor(() => pingEngine(cfg), timeoutMs)) return { pid: existing, adopted: true };
    throw engineError(
      cfg,
      `The sandbox engine (pid ${existing}) runs but does not answer on ${cfg.engine.socket}`,
    );
  }
  const dockerd = findDockerd();
  if (!dockerd) {
    throw new Error(
      "No dockerd is installed. Install Debian's engine with `apt-get install -y docker.io` (only when no docker-ce/moby is installed), or run `npx handson doctor --fix`.",
    );
  }
  await ensureBridge(cfg);
  prepareDaemonFiles(cfg);
  capSandboxMemory(cfg);
  // A pidfile whose process is gone (or is not our dockerd) would make dockerd refuse to start.
  fs.rmSync(cfg.engine.pidfile, { force: true });
  // dockerd only asks whether containerd's recorded pid is alive: after a restore that pid may
  // be anyone's, and dockerd would wait for a containerd socket that never comes.
  removeStalePidfile(containerdPidfileSpec(cfg));
  const { pid } = startManaged({
    ...spec,
    name: 'sandbox engine',
    command: dockerd,
    args: dockerdArgs(cfg),
    logFile: cfg.engine.logFile,
    writePidfile: false,
  });
  const up = await waitFor(() => pingEngine(cfg), timeoutMs, { giveUpIf: () => !isAlive(pid) });
  if (!up) {
    const what = isAlive(pid)
      ? `did not answer within ${timeoutMs / 1000}s`
      : 'exited while starting';
    throw engineError(cfg, `The sandbox engine (${dockerd}, pid ${pid}) ${what}`);
  }
  return { pid, adopted: false };
}

function startedWithOtherFlags(pid: number, cfg: HandsonConfig): boolean {
  const cmdline = processCmdline(pid);
  return cmdline !== undefined && !runsWithFlagsOf(cmdline, cfg);
}

/**
 * Whether a running dockerd's command line (as /proc shows it) is the one this version starts.
 *
 * @example
 * runsWithFlagsOf(processCmdline(pid)!, cfg) // false after an upgrade changed a flag
 */
export function runsWithFlagsOf(cmdline: string, cfg: HandsonConfig): boolean {
  return cmdline.endsWith(` ${dockerdArgs(cfg).join(' ')}`);
}

function capSandboxMemory(cfg: HandsonConfig): void {
  try {
    applyMemoryCap(cfg, sandboxMemoryCap());
  } catch (error) {
    // Not fatal: sandboxes still have their own limits; doctor reports the missing cap.
    process.stderr.write(
      `handson: could not cap sandbox memory on cgroup ${cfg.engine.cgroupParent}: ${(error as Error).message}\n`,
    );
  }
  try {
    applyCpuWeight(cfg);
  } catch (error) {
    // Not fatal either: each sandbox still has its own CPU quota.
    process.stderr.write(
      `handson: could not weigh sandbox CPU on cgroup ${cfg.engine.cgroupParent}: ${(error as Error).message}\n`,
    );
  }
}

function engineError(cfg: HandsonConfig, what: string): Error {
  const tail = logTail(cfg.engine.logFile, 20);
  return new Error(
    `${what}.\nLikely cause: ${likelyEngineFailure(tail)}\nLast lines of ${cfg.engine.logFile}:\n${tail}`,
  );
}

/**
 * Stop our dockerd (SIGTERM; it stops its containers and containerd), if it runs.
 * Returns the pid it stopped.
 *
 * @example
 * const pid = await stopEngine(loadConfig()); // undefined when nothing ran
 */
export async function stopEngine(cfg: HandsonConfig): Promise<number | undefined> {
  return stopManaged(processSpec(cfg), { graceMs: 30_000 });
}

/** Whether our dockerd runs, answers, and remaps user namespaces. */
export async function engineStatus(cfg: HandsonConfig): Promise<EngineStatus> {
  const pid = runningPid(processSpec(cfg));
  const status: EngineStatus = { pid, answering: false, logFile: cfg.engine.logFile };
  if (!(await pingEngine(cfg))) return status;
  const info = (await engineClient(cfg).info()) as {
    ServerVersion?: string;
    SecurityOptions?: string[];
  };
  return {
    ...status,
    answering: true,
    version: info.ServerVersion,
    userns: (info.SecurityOptions ?? []).some((opt) => opt.includes('name=userns')),
    current: pid === undefined ? undefined : !startedWithOtherFlags(pid, cfg),
  };
}
