import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';

/**
 * The sandbox driver contract: everything the server needs from "a private Docker engine
 * for one learner". Drivers: `dind` (default, a userns-remapped container per session) and
 * `host` (the local user's own shell and engine, single user).
 */

export type DriverName = 'dind' | 'host';

export interface SandboxLimits {
  /** Memory ceiling in bytes (default 1 GiB). */
  memoryBytes: number;
  /** Max processes (default 1024). */
  pids: number;
  /** CPU shares relative to 1024 (default 1024) and an optional hard quota in CPUs. */
  cpuShares: number;
  cpus?: number;
  /** The CFS period the quota is measured over, in µs (default: Docker's 100 ms). */
  cpuPeriodUs?: number;
  /** Size of the sandbox's /var/lib/docker filesystem in bytes (default 4 GiB). */
  diskBytes: number;
}

export interface SandboxSpec {
  sessionId: string;
  limits?: Partial<SandboxLimits>;
  /** Extra labels, merged with the project's own. */
  labels?: Record<string, string>;
}

export interface ExecOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  stdin?: string | Buffer;
  env?: Record<string, string>;
  /** Working directory inside the sandbox; default the workspace /root/work. */
  cwd?: string;
  /** Past this many bytes of stdout plus stderr the command is killed (default 16 MiB). */
  maxOutputBytes?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface TerminalOptions {
  /** The program to run with a TTY; default an interactive login shell in the workspace. */
  cmd?: string[];
  cols: number;
  rows: number;
  env?: Record<string, string>;
}

/** A process attached to a TTY: the raw material of a terminal session. */
export interface TtyProcess {
  write(data: string | Buffer): void;
  resize(cols: number, rows: number): Promise<void>;
  onData(listener: (chunk: Buffer) => void): void;
  onExit(listener: (code: number) => void): void;
  /** Stop delivering data (the producer is held back by the kernel's TTY buffer). */
  pause(): void;
  resume(): void;
  /** Kill the process and everything it started. */
  kill(): Promise<void>;
}

/**
 * A sandbox's limits and how often it hit them, read from its cgroups and its disk: counters
 * only ever grow, so a rise between two readings is a limit hit in between.
 */
export interface LimitCounters {
  /** Processes the kernel OOM-killed at the sandbox's memory limit. */
  oomKills: number;
  memoryLimitBytes: number;
  /** Forks refused at the sandbox's process limit. */
  pidsMaxHits: number;
  pidsMax: number;
  /** CPU scheduling periods, and those in which the sandbox had used up its CPU quota. */
  cpuPeriods: number;
  cpuThrottled: number;
  cpus: number;
  diskFreeBytes: number;
  diskSizeBytes: number;
}

export interface Sandbox {
  readonly id: string;
  readonly sessionId: string;
  readonly driver: DriverName;
  /** Run a command (argv) in the sandbox, as the learner's root, in the workspace. */
  exec(cmd: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Start a process with a TTY, for terminals. */
  openTty(opts: TerminalOptions): Promise<TtyProcess>;
  /**
   * Every terminal's command history (bash history files, `#<epoch>` lines before each command),
   * one after another. Read without starting a process in the sandbox where the driver can:
   * a Check may do this for every learner of a class every few seconds.
   */
  readHistory(): Promise<string>;
  /**
   * Keep terminal `terminalId`'s screen (escape sequences) in the sandbox, where its next shell
   * prints it first (SCREEN_DIR); written without starting a process there where the driver can.
   */
  saveScreen(terminalId: string, screen: string): Promise<void>;
  /** Workspace files, paths relative to /root/work (`..` and absolute paths are refused). */
  readFile(relPath: string): Promise<Buffer>;
  writeFile(relPath: string, body: Buffer): Promise<void>;
  /**
   * An Engine API client for the sandbox's inner engine (over its unix socket). The learner
   * controls what answers there, so drivers bound each call's time and size; aborting `signal`
   * cuts every call of the client returned.
   */
  engine(signal?: AbortSignal): Docker;
  /** A byte stream to 127.0.0.1:<port> inside the sandbox (the ports proxy, http checks). */
  connect(port: number): Promise<Duplex>;
  /** Resolves when the inner engine answers; rejects with a clear error otherwise. */
  ready(signal?: AbortSignal): Promise<void>;
  /** Its limits and how often it hit them (drivers without limits leave this out). */
  limitCounters?(): Promise<LimitCounters | undefined>;
}

export interface SandboxRecord {
  id: string;
  sessionId: string;
  driver: DriverName;
  createdAt: Date;
  labels: Record<string, string>;
}

export interface SandboxDriver {
  readonly name: DriverName;
  /** Throws an error a person can act on when this host cannot run this driver safely. */
  preflight(): Promise<void>;
  create(spec: SandboxSpec, signal?: AbortSignal): Promise<Sandbox>;
  /** Re-attach to a live sandbox (after a server restart), or undefined if it is gone. */
  get(id: string): Promise<Sandbox | undefined>;
  /** Every sandbox this project owns on the engine, found by label. */
  list(): Promise<SandboxRecord[]>;
  /** Remove the sandbox and everything it owns (container, volumes, network, disk). Idempotent. */
  destroy(id: string): Promise<void>;
  /**
   * Why a new sandbox would be refused right now (e.g. its disks' pool is nearly full), in
   * words for the learner, or undefined. Cheap and synchronous: asked before a session is made.
   */
  refusesNewSandbox?(): string | undefined;
  /**
   * Keep sandboxes from slowing each other until `signal` aborts (dind: busy sandboxes get a
   * small CPU weight). The server runs it once for as long as it serves.
   */
  keepFair?(signal: AbortSignal): Promise<void>;
}

export const WORKSPACE = '/root/work';
