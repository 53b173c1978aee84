import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import Docker from 'dockerode';
import type { HandsonConfig } from '../../config.ts';
import type {
  DriverName,
  ExecOptions,
  ExecResult,
  Sandbox,
  SandboxDriver,
  SandboxRecord,
  SandboxSpec,
  TerminalOptions,
  TtyProcess,
} from '../driver.ts';
import { MAX_FILE_BYTES, workspacePath } from '../workspace-path.ts';
import { ptyTty } from './pty-tty.ts';

/** Where the terminals' shells keep their state (shell-command.ts: `"$HOME"/.handson`). */
function terminalStateDir(): string {
  return path.join(process.env.HOME ?? '/root', '.handson');
}

/**
 * The `host` driver: single-user local mode. The "sandbox" is the local user's own shell in a
 * workspace directory and their own Docker engine (/var/run/docker.sock, or DOCKER_HOST's unix
 * socket). Nothing is isolated: it is for one person running the course on their own machine
 * (`handson serve --driver host`), never for serving others.
 */

const ID = 'local';

function localSocket(): string {
  const host = process.env.DOCKER_HOST;
  return host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
}

class HostSandbox implements Sandbox {
  readonly id = ID;
  readonly driver: DriverName = 'host';
  private docker: Docker | undefined;

  constructor(
    readonly sessionId: string,
    readonly workspace: string,
  ) {}

  exec(cmd: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const [file, ...args] = cmd;
    return new Promise((resolve, reject) => {
      const child = execFile(
        file!,
        args,
        {
          cwd: opts.cwd ?? this.workspace,
          env: { ...process.env, ...opts.env },
          timeout: opts.timeoutMs,
          signal: opts.signal,
          maxBuffer: opts.maxOutputBytes ?? 16 * MAX_FILE_BYTES,
          encoding: 'utf8',
        },
        (err, stdout, stderr) => {
          const code = (err as { code?: unknown } | null)?.code;
          if (err && typeof code !== 'number') reject(err);
          else resolve({ exitCode: typeof code === 'number' ? code : 0, stdout, stderr });
        },
      );
      if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
      else child.stdin?.end();
    });
  }

  async openTty(opts: TerminalOptions): Promise<TtyProcess> {
    return ptyTty({ ...opts, cwd: this.workspace });
  }

  /** The learner's own `~/.handson/history` (where the terminals' shells write it). */
  async readHistory(): Promise<string> {
    const dir = path.join(terminalStateDir(), 'history');
    const names = await readdir(dir).catch(() => [] as string[]);
    const texts = await Promise.all(
      names.sort().map((name) => readFile(path.join(dir, name), 'utf8').catch(() => '')),
    );
    return texts.join('\n');
  }

  async saveScreen(terminalId: string, screen: string): Promise<void> {
    const dir = path.join(terminalStateDir(), 'screens');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, terminalId), screen);
  }

  /** At most 1 MiB + 1 byte is ever read, so a file growing meanwhile cannot fill memory. */
  async readFile(relPath: string): Promise<Buffer> {
    const file = path.join(this.workspace, workspacePath(relPath));
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const info = await handle.stat();
      if (info.isDirectory()) {
        throw Object.assign(new Error(`${relPath} is a directory`), { code: 'EISDIR' });
      }
      if (!info.isFile()) {
        throw Object.assign(new Error(`${relPath} is not a regular file`), { code: 'ENOENT' });
      }
      const data = Buffer.alloc(MAX_FILE_BYTES + 1);
      const { bytesRead } = await handle.read(data, 0, data.length, 0);
      if (bytesRead > MAX_FILE_BYTES) {
        throw Object.assign(new Error(`${relPath} is larger than 1 MiB.`), { code: 'EFBIG' });
      }
      return data.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async writeFile(relPath: string, body: Buffer): Promise<void> {
    if (body.length > MAX_FILE_BYTES) throw new Error('The file is larger than 1 MiB.');
    const file = path.join(this.workspace, workspacePath(relPath));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, body);
  }

  engine(): Docker {
    this.docker ??= new Docker({ socketPath: localSocket() });
    return this.docker;
  }

  connect(port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1', () => resolve(sock));
      sock.once('error', reject);
    });
  }

  async ready(): Promise<void> {
    await this.engine()
      .ping()
      .catch((err: unknown) => {
        throw new Error(
          `Your Docker engine at ${localSocket()} does not answer (${String(err)}). Start Docker and retry.`,
        );
      });
  }
}

/**
 * @example
 * const driver = new HostDriver(loadConfig());
 * const sandbox = await driver.create({ sessionId: 's1' }); // your shell in ~/.handson/work
 */
export class HostDriver implements SandboxDriver {
  readonly name: DriverName = 'host';
  private current: HostSandbox | undefined;
  private createdAt = new Date();

  constructor(
    _cfg: HandsonConfig,
    readonly workspace = process.env.HANDSON_WORKSPACE ??
      path.join(process.env.HOME ?? '/root', 'handson-work'),
  ) {}

  async preflight(): Promise<void> {
    await new HostSandbox('preflight', this.workspace).ready();
  }

  async create(spec: SandboxSpec): Promise<Sandbox> {
    await mkdir(this.workspace, { recursive: true });
    // Single user: a new session takes over the one local shell environment.
    this.current = new HostSandbox(spec.sessionId, this.workspace);
    this.createdAt = new Date();
    return this.current;
  }

  async get(id: string): Promise<Sandbox | undefined> {
    return id === ID ? this.current : undefined;
  }

  async list(): Promise<SandboxRecord[]> {
    if (!this.current) return [];
    return [
      {
        id: ID,
        sessionId: this.current.sessionId,
        driver: 'host',
        createdAt: this.createdAt,
        labels: {},
      },
    ];
  }

  async destroy(id: string): Promise<void> {
    // The learner's own files and engine are theirs: forget the session, delete nothing.
    if (id === ID) this.current = undefined;
  }
}
