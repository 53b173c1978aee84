import { randomBytes } from 'node:crypto';
import { chown, mkdir, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import type { HandsonConfig } from '../../config.ts';
import { LABELS, registryAddress } from '../../config.ts';
import type { DriverName, Sandbox, SandboxDriver, SandboxRecord, SandboxSpec } from '../driver.ts';
import { confirmCgroups, predelegateCgroups, removeCgroupDirs } from './cgroups.ts';
import { keepCpuFair } from './cpu-priority.ts';
import { DindSandbox } from './dind-sandbox.ts';
import { createDisk, destroyDisk, diskPaths } from './disk.ts';
import { diskShortfall, diskWatermark, ensureDiskHeadroom } from './disk-headroom.ts';
import { ensureDiskPool } from './disk-pool.ts';
import { sweepStrayDisks } from './disk-strays.ts';
import { writeEtcHosts } from './etc-hosts.ts';
import { cpuPriorityOptions } from './limits.ts';
import {
  createSandboxNetwork,
  plugSandbox,
  removeSandboxNetwork,
  type SandboxNetwork,
} from './network.ts';
import { preflightDind } from './preflight.ts';
import {
  DEFAULT_LIMITS,
  SANDBOX_HOSTNAME,
  SANDBOX_IMAGE,
  SANDBOX_KIND,
  sandboxContainerOptions,
} from './profile.ts';
import { type RemappedRoot, remappedRoot } from './remap.ts';
import { writeResolvConf } from './resolv-conf.ts';
import { type SharedBySandboxes, sharedBySandboxes } from './shared-by-sandboxes.ts';
import { sweepStoppedSandboxes } from './stopped-sandboxes.ts';
import { boundUserLimits } from './user-limits.ts';

/** The stages of `DindDriver.create`, in order. */
export type CreateStage =
  | 'disk'
  | 'container created'
  | 'cgroups delegated'
  | 'container started'
  | 'network plugged';

export { SANDBOX_KIND };

export interface DindOptions {
  image?: string;
  /** /16 pool the per-sandbox /28 networks come from (default HANDSON_SANDBOX_POOL or 10.78.0.0/16). */
  addressPool?: string;
  /** Free bytes the disk pool keeps; below it no sandbox starts (HANDSON_DISK_WATERMARK). */
  diskWatermarkBytes?: number;
}

/**
 * The `dind` driver: a container per sandbox on the project's userns-remapped sandbox engine,
 * running its own dockerd, with its own network, disk and delegated cgroups.
 *
 * @example
 * const driver = new DindDriver(loadConfig());
 * await driver.preflight();
 * const sandbox = await driver.create({ sessionId: 's1' });
 * await sandbox.ready();
 * await sandbox.exec(['docker', 'run', '--rm', 'busybox', 'echo', 'ok']);
 * await driver.destroy(sandbox.id);
 */
export class DindDriver implements SandboxDriver {
  readonly name: DriverName = 'dind';
  readonly docker: Docker;
  private readonly image: string;
  private readonly pool: string;
  private readonly diskWatermark: number;
  private owner: RemappedRoot | undefined;
  private checked: Promise<void> | undefined;
  /** Told as each stage of `create` ends (the sandbox benchmark times them). */
  onStage: ((stage: CreateStage) => void) | undefined;
  /** One set of port listeners and one terminal-start queue for every sandbox handle. */
  private readonly shared: SharedBySandboxes;

  constructor(
    private readonly cfg: HandsonConfig,
    opts: DindOptions = {},
  ) {
    this.docker = new Docker({ socketPath: cfg.engine.socket });
    this.image = opts.image ?? SANDBOX_IMAGE;
    this.pool = opts.addressPool ?? process.env.HANDSON_SANDBOX_POOL ?? '10.78.0.0/16';
    this.diskWatermark = opts.diskWatermarkBytes ?? diskWatermark();
    this.shared = sharedBySandboxes(cfg.runDir);
  }

  async preflight(): Promise<void> {
    this.checked = this.check();
    await this.checked;
    this.owner = await remappedRoot();
  }

  /** The safety checks (userns, firewall, disk pool) run once per driver even if nobody called preflight. */
  private ensureChecked(): Promise<void> {
    this.checked ??= this.check().catch((err: unknown) => {
      this.checked = undefined;
      throw err;
    });
    return this.checked;
  }

  private async check(): Promise<void> {
    await preflightDind(this.cfg, this.docker, this.image);
    await ensureDiskPool(this.cfg);
    // In the background: stray disks and stopped sandboxes only cost space, and a start should
    // not wait for them. Stopped sandboxes first: their disks then go with them.
    void sweepStoppedSandboxes(this.docker, (id) => this.destroy(id))
      .then(() => this.list())
      .then((all) => sweepStrayDisks(this.cfg, new Set(all.map((s) => s.id))))
      .catch(() => undefined);
  }

  /** Why a new sandbox would be refused now (the disk pool under its watermark), if it would. */
  refusesNewSandbox(): string | undefined {
    return diskShortfall(this.cfg, this.diskWatermark);
  }

  /** Busy sandboxes (seconds at their CPU quota) weigh less than the ones learners type in. */
  keepFair(signal: AbortSignal): Promise<void> {
    const options = cpuPriorityOptions();
    if (!options) return Promise.resolve();
    return keepCpuFair(this.cfg.engine.cgroupParent, DEFAULT_LIMITS.cpuShares, signal, options);
  }

  /** Container (and network) name of a sandbox. */
  containerName(id: string): string {
    return `handson-sb-${id}`;
  }

  hostDir(id: string): string {
    return path.join(this.cfg.sandboxesDir, id);
  }

  async create(spec: SandboxSpec, signal?: AbortSignal): Promise<Sandbox> {
    signal?.throwIfAborted();
    await this.ensureChecked();
    // Before anything is made: a refused sandbox leaves nothing to clean up.
    ensureDiskHeadroom(this.cfg, this.diskWatermark);
    this.owner ??= await remappedRoot();
    const owner = this.owner;
    const id = randomBytes(5).toString('hex');
    const limits = { ...DEFAULT_LIMITS, ...spec.limits };
    const labels = {
      ...spec.labels,
      [LABELS.managed]: 'true',
      [LABELS.kind]: SANDBOX_KIND,
      [LABELS.session]: spec.sessionId,
      'dev.handson.sandbox': id,
    };
    const hostDir = this.hostDir(id);
    let networkMade: Promise<SandboxNetwork> | undefined;
    try {
      await mkdir(hostDir, { recursive: true, mode: 0o700 });
      // The sandbox's root (the remapped uid) creates its engine socket here.
      await chown(hostDir, owner.uid, owner.gid);
      await writeResolvConf(this.cfg, hostDir);
      // The network is needed only once the sandbox runs (to plug it in): it is made meanwhile.
      networkMade = createSandboxNetwork(this.docker, id, this.pool, labels);
      networkMade.catch(() => undefined); // awaited below, where its failure ends the create
      const [disk] = await Promise.all([
        createDisk(this.cfg, id, limits.diskBytes, owner),
        writeEtcHosts(hostDir, SANDBOX_HOSTNAME),
      ]);
      this.onStage?.('disk');
      signal?.throwIfAborted();
      const container = await this.docker.createContainer(
        sandboxContainerOptions({
          name: this.containerName(id),
          image: this.image,
          hostDir,
          diskMount: disk.mountPoint,
          limits,
          labels,
          env: { HANDSON_REGISTRY: registryAddress(this.cfg) },
        }),
      );
      this.onStage?.('container created');
      const cgroups = await predelegateCgroups(container.id, this.cfg.engine.cgroupParent, owner);
      // The entrypoint waits for this marker before it mounts the (owned) cgroups.
      await writeFile(path.join(hostDir, 'cgroups-delegated'), `${container.id}\n`);
      this.onStage?.('cgroups delegated');
      await container.start();
      this.onStage?.('container started');
      const info = await container.inspect();
      // dockerd needs no network to boot; it is plugged in while the entrypoint runs.
      const network = await networkMade;
      const init = { pid: info.State.Pid, containerId: info.Id };
      await Promise.all([
        confirmCgroups(info.State.Pid, info.Id, cgroups),
        plugSandbox(init, id, network),
        boundUserLimits(init),
        // Rewritten in place: the sandbox's /etc/hosts is this very file.
        writeEtcHosts(hostDir, SANDBOX_HOSTNAME, network.address),
      ]);
      this.onStage?.('network plugged');
      return new DindSandbox(
        id,
        spec.sessionId,
        this.docker,
        this.containerName(id),
        hostDir,
        diskPaths(this.cfg, id).mountPoint,
        this.shared,
        this.cfg.engine.cgroupParent,
      );
    } catch (err) {
      // A network still being made would be made after the clean-up and left behind.
      await networkMade?.catch(() => undefined);
      await this.destroy(id).catch(() => undefined);
      throw err;
    }
  }

  async get(id: string): Promise<Sandbox | undefined> {
    if (!/^[0-9a-f]{10}$/.test(id)) return undefined;
    const info = await this.docker
      .getContainer(this.containerName(id))
      .inspect()
      .catch(() => undefined);
    if (!info?.State.Running || info.Config.Labels?.[LABELS.kind] !== SANDBOX_KIND)
      return undefined;
    const sessionId = info.Config.Labels[LABELS.session] ?? '';
    return new DindSandbox(
      id,
      sessionId,
      this.docker,
      this.containerName(id),
      this.hostDir(id),
      diskPaths(this.cfg, id).mountPoint,
      this.shared,
      this.cfg.engine.cgroupParent,
    );
  }

  async list(): Promise<SandboxRecord[]> {
    const containers = await this.docker.listContainers({
      all: true,
      filters: { label: [`${LABELS.managed}=true`, `${LABELS.kind}=${SANDBOX_KIND}`] },
    });
    return containers.map((c) => ({
      id: c.Labels['dev.handson.sandbox'] ?? '',
      sessionId: c.Labels[LABELS.session] ?? '',
      driver: 'dind' as const,
      createdAt: new Date(c.Created * 1000),
      labels: c.Labels,
    }));
  }

  async destroy(id: string): Promise<void> {
    if (!/^[0-9a-f]{10}$/.test(id)) throw new Error(`"${id}" is not a dind sandbox id`);
    this.shared.forwarders.close(id);
    const container = this.docker.getContainer(this.containerName(id));
    const containerId = await container
      .inspect()
      .then((info) => info.Id)
      .catch(() => undefined);
    await container.remove({ force: true, v: true }).catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err;
    });
    // Cgroups made for a sandbox that never started are not the engine's to remove.
    if (containerId) await removeCgroupDirs(containerId, this.cfg.engine.cgroupParent);
    await removeSandboxNetwork(this.docker, id);
    await destroyDisk(this.cfg, id);
    const hostDir = this.hostDir(id);
    await unlink(path.join(hostDir, 'docker.sock')).catch(() => undefined);
    await rm(hostDir, { recursive: true, force: true });
  }
}
