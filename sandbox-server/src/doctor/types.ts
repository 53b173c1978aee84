import type { EngineStatus } from '../engine/engine.ts';

/**
 * The doctor's vocabulary. Checks are pure functions of `DoctorProbes` (what the machine
 * looks like), so their logic is unit-tested with fakes and run for real by `handson doctor`.
 */

/** Names of the things `--fix` knows how to do; a failing check names the one that repairs it. */
export type FixAction =
  | 'apt-install'
  | 'raise-user-limits'
  | 'mount-disk-pool'
  | 'start-engine'
  | 'start-registry'
  | 'restart-registry'
  | 'start-packages'
  | 'build-images';

export interface CheckResult {
  /** Stable, short: `engine`, `registry`, `images`, … (also the `--json` key). */
  name: string;
  ok: boolean;
  /** What was found, in a sentence. */
  detail: string;
  /** What to do when it fails, as a person would type it. */
  hint?: string;
  /** What `--fix` would do about it. */
  fix?: FixAction;
  /** Debian packages to install, for `apt-install`. */
  packages?: string[];
}

export interface ListenerProbe {
  address: string;
  port: number;
  answering: boolean;
}

/** What the throwaway container on the sandbox bridge saw. */
export interface BridgeProbe {
  /** Why the probe could not run at all (no busybox image, engine down), else undefined. */
  error?: string;
  results: { url: string; answered: boolean; output: string }[];
}

/**
 * What a container on the sandbox bridge got back when it tried to push to and delete from the
 * registry on the gateway: HTTP statuses (405 when refused; 0 when nothing answered).
 */
export interface MirrorProbe {
  /** Why the probe could not run at all (no sandbox image, engine down), else undefined. */
  error?: string;
  push?: number;
  delete?: number;
}

/** Everything the checks need to know about the machine. */
export interface DoctorProbes {
  isRoot(): boolean;
  /** Path of an installed program, or undefined. */
  which(program: string): string | undefined;
  engine(): Promise<EngineStatus>;
  engineLogTail(): string;
  registry(): Promise<ListenerProbe[]>;
  packageRepository(): Promise<ListenerProbe[]>;
  /** Whether the package repository serves `path` (e.g. `/debian/Packages`) on loopback. */
  packageRepositoryServes(path: string): Promise<boolean>;
  /** Fetch the given gateway URLs from a throwaway busybox container on the sandbox bridge. */
  fromBridge(urls: string[]): Promise<BridgeProbe>;
  /** Try a push and a delete against the gateway's registry from the sandbox bridge. */
  mirrorWrites(): Promise<MirrorProbe>;
  /** Expected images (`repository:tag`, Docker Hub names) missing from the local registry. */
  missingRegistryImages(): Promise<{ expected: number; missing: string[] }>;
  /** Expected images missing on the sandbox engine itself (the sandbox image). */
  missingEngineImages(): Promise<{ expected: number; missing: string[] }>;
  cgroup(): { version: 1 | 2; controllers: string[]; memoryCap: number | undefined };
  exists(path: string): boolean;
  /** The capability bounding set of this process (CapBnd in /proc/self/status). */
  capabilityBoundingSet(): bigint;
  sysctl(name: string): number | undefined;
  freeBytes(path: string): number;
  /** The mounted sandbox disk pool's size and free space, or undefined when it is not mounted. */
  diskPool(): { mountPoint: string; sizeBytes: number; freeBytes: number } | undefined;
}

/** The doctor's answer: every check, plus what `--fix` did. */
export interface DoctorReport {
  ok: boolean;
  checks: CheckResult[];
  fixes?: { action: string; ok: boolean; detail: string }[];
}
