import path from 'node:path';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type {
  DriverName,
  ExecOptions,
  ExecResult,
  LimitCounters,
  Sandbox,
  TerminalOptions,
  TtyProcess,
} from '../driver.ts';
import { WORKSPACE } from '../driver.ts';
import { MAX_FILE_BYTES, workspacePath } from '../workspace-path.ts';
import { execBytes, execIn } from './exec.ts';
import { innerEngineClient } from './inner-engine.ts';
import { LimitReader } from './limit-counters.ts';
import { readFolderNoFollow, writeFileNoFollow } from './no-follow-files.ts';
import type { SandboxInit } from './sandbox-netns.ts';
import type { SharedBySandboxes } from './shared-by-sandboxes.ts';
import { socketTty } from './socket-tty.ts';

/** HISTORY_DIR (`/root/.handson/history`) below the sandbox's /root. */
const HISTORY_FOLDERS = ['.handson', 'history'];
/** SCREEN_DIR (`/root/.handson/screens`) below the sandbox's /root. */
const SCREEN_FOLDERS = ['.handson', 'screens'];
const MAX_HISTORY_BYTES = 4 * 2 ** 20;

/**
 * One dind sandbox as the server sees it: a container on the sandbox engine whose inner
 * engine answers on `<hostDir>/docker.sock`. Holds no state beyond names, so a restarted server
 * can rebuild it from the engine's labels (`DindDriver.get`).
 */
/** How often `ready()` checks that the sandbox is still running while its engine boots. */
const LIVENESS_CHECK_MS = 500;

export class DindSandbox implements Sandbox {
  readonly driver: DriverName = 'dind';
  private readonly container: Docker.Container;
  private inner: Docker | undefined;
  private readonly limits: LimitReader;

  constructor(
    readonly id: string,
    readonly sessionId: string,
    outer: Docker,
    containerName: string,
    private readonly hostDir: string,
    /** Where the host mounts the sandbox's quota disk (its /root is `<diskMount>/root`). */
    private readonly diskMount: string,
    private readonly shared: SharedBySandboxes,
    /** The engine's cgroup parent, under which the sandbox's cgroups are (its limit counters). */
    cgroupParent: string,
  ) {
    this.container = outer.getContainer(containerName);
    // The driver wrote the container's id there before the start (cgroup delegation).
    this.limits = new LimitReader(path.join(hostDir, 'cgroups-delegated'), diskMount, cgroupParent);
  }

  /** From its cgroups and its disk on the host: no process is started in the sandbox. */
  limitCounters(): Promise<LimitCounters | undefined> {
    return this.limits.read();
  }

  /** The inner engine's socket on the host. */
  get socketPath(): string {
    return path.join(this.hostDir, 'docker.sock');
  }

  exec(cmd: string[], opts?: ExecOptions): Promise<ExecResult> {
    return execIn(this.container, cmd, opts);
  }

  /**
   * A TTY reached over a socket in the host folder, not through the engine (socket-tty.ts).
   * Starts wait their turn in the driver's queue (shared-by-sandboxes.ts).
   */
  openTty(opts: TerminalOptions): Promise<TtyProcess> {
    return this.shared.terminalStarts.run(this.id, () =>
      socketTty(this.container, this.hostDir, {
        ...opts,
        env: { TERM: 'xterm-256color', LANG: 'C.UTF-8', ...opts.env },
        workingDir: WORKSPACE,
      }),
    );
  }

  /** Straight from the quota disk on the host, never following the learner's symlinks. */
  async readHistory(): Promise<string> {
    const files = await readFolderNoFollow(
      path.join(this.diskMount, 'root'),
      HISTORY_FOLDERS,
      MAX_HISTORY_BYTES,
    );
    return files.map((f) => f.data.toString('utf8')).join('\n');
  }

  /** Onto the quota disk from the host, renamed into place (never through a symlink). */
  async saveScreen(terminalId: string, screen: string): Promise<void> {
    await writeFileNoFollow(path.join(this.diskMount, 'root'), SCREEN_FOLDERS, terminalId, screen);
  }

  async readFile(relPath: string): Promise<Buffer> {
    const rel = workspacePath(relPath);
    // Read one byte past the limit to tell "exactly 1 MiB" from "too big"; only a regular
    // file (a FIFO would hold the request forever, /dev/zero is endless).
    const res = await execBytes(this.container, [
      'sh',
      '-c',
      '[ -f "$2" ] || { echo "not a regular file" >&2; exit 1; }; exec head -c "$1" -- "$2"',
      'read-file',
      String(MAX_FILE_BYTES + 1),
      rel,
    ]);
    if (res.exitCode !== 0) {
      throw Object.assign(new Error(`cannot read ${rel}: ${res.stderr.trim() || 'no such file'}`), {
        code: 'ENOENT',
      });
    }
    if (res.stdout.length > MAX_FILE_BYTES) {
      throw Object.assign(
        new Error(`${rel} is larger than 1 MiB; open it in the terminal instead.`),
        {
          code: 'EFBIG',
        },
      );
    }
    return res.stdout;
  }

  async writeFile(relPath: string, body: Buffer): Promise<void> {
    const rel = workspacePath(relPath);
    if (body.length > MAX_FILE_BYTES) {
      throw Object.assign(new Error(`The file is larger than 1 MiB (${body.length} bytes).`), {
        code: 'EFBIG',
      });
    }
    const res = await execIn(
      this.container,
      ['sh', '-c', 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1"', 'write-file', rel],
      { stdin: body, timeoutMs: 30_000 },
    );
    if (res.exitCode !== 0) throw new Error(`cannot write ${rel}: ${res.stderr.trim()}`);
  }

  /** Bounded (inner-engine.ts): the learner decides what answers on that socket. */
  engine(signal?: AbortSignal): Docker {
    if (signal) return innerEngineClient(this.socketPath, { signal });
    this.inner ??= innerEngineClient(this.socketPath);
    return this.inner;
  }

  connect(port: number): Promise<Duplex> {
    return this.shared.forwarders.connect(this.id, () => this.init(), port);
  }

  /** The sandbox init's host pid, for entering its network namespace. */
  private async init(): Promise<SandboxInit> {
    const info = await this.container.inspect();
    if (!info.State.Running || !info.State.Pid) throw new Error('the sandbox is not running');
    return { pid: info.State.Pid, containerId: info.Id };
  }

  /**
   * Poll the inner engine until it answers (default up to 60 s).
   *
   * @example
   * await sandbox.ready(AbortSignal.timeout(30_000));
   */
  async ready(signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + 60_000;
    let lastError: unknown;
    // Whether the sandbox died is asked of the sandbox engine only now and then: many sandboxes
    // booting at once would otherwise load it with an inspect every 25 ms each.
    let nextLivenessCheck = Date.now() + LIVENESS_CHECK_MS;
    while (Date.now() < deadline) {
      if (signal?.aborted) break;
      try {
        await this.engine().ping();
        return;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() >= nextLivenessCheck) {
        nextLivenessCheck = Date.now() + LIVENESS_CHECK_MS;
        const state = await this.container.inspect().catch(() => undefined);
        if (!state?.State.Running) {
          throw new Error(
            `Sandbox ${this.id} is not running (${state?.State.Status ?? 'gone'}); create a new one (session reset).`,
          );
        }
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(
      `The Docker engine inside sandbox ${this.id} did not answer (${String(lastError)}). ` +
        `Look at /var/log/dockerd.log inside it, or reset the session.`,
    );
  }
}
