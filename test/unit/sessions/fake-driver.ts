import net from 'node:net';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type {
  DriverName,
  Sandbox,
  SandboxDriver,
  SandboxRecord,
  SandboxSpec,
} from '../../../sandbox-server/src/sandbox/driver.ts';
import { FakeTty } from '../terminal/fake-tty.ts';

/**
 * An in-memory sandbox driver for unit tests: files live in a Map, the inner engine is a ping
 * that can be made to fail, and `connect(port)` reaches a loopback port chosen by the test.
 */
export class FakeSandbox implements Sandbox {
  readonly driver: DriverName = 'dind';
  readonly files = new Map<string, Buffer>();
  engineUp = true;
  /** sandbox port → loopback port on the test host. */
  readonly ports = new Map<number, number>();

  constructor(
    readonly id: string,
    readonly sessionId: string,
    readonly labels: Record<string, string> = {},
  ) {}

  async exec(): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    return { exitCode: 0, stdout: '', stderr: '' };
  }
  /** Every TTY opened, in order; a test ends a shell with `ttys[i].end(0)`. */
  readonly ttys: FakeTty[] = [];
  async openTty(): Promise<FakeTty> {
    const tty = new FakeTty();
    this.ttys.push(tty);
    return tty;
  }
  async readHistory(): Promise<string> {
    return '';
  }
  async saveScreen(): Promise<void> {}
  async readFile(rel: string): Promise<Buffer> {
    const f = this.files.get(rel);
    if (!f) throw Object.assign(new Error(`no such file ${rel}`), { code: 'ENOENT' });
    return f;
  }
  async writeFile(rel: string, body: Buffer): Promise<void> {
    this.files.set(rel, body);
  }
  engine(): Docker {
    return {
      ping: async () => {
        if (!this.engineUp) throw new Error('connect ENOENT /run/sandbox/docker.sock');
        return 'OK';
      },
    } as unknown as Docker;
  }
  connect(port: number): Promise<Duplex> {
    const target = this.ports.get(port);
    if (target === undefined)
      return Promise.reject(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`));
    return new Promise((resolve, reject) => {
      const socket = net.connect(target, '127.0.0.1');
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });
  }
  async ready(): Promise<void> {}
}

export class FakeDriver implements SandboxDriver {
  readonly name: DriverName = 'dind';
  readonly sandboxes = new Map<string, FakeSandbox>();
  readonly destroyed: string[] = [];
  private next = 0;
  /** When set, create() fails with this message. */
  failWith: string | undefined;
  /** When set, create() waits for this before answering. */
  gate: Promise<void> | undefined;

  /** When set, the driver refuses new sandboxes with this reason (a full disk pool). */
  refusal: string | undefined;

  async preflight(): Promise<void> {}

  refusesNewSandbox(): string | undefined {
    return this.refusal;
  }

  async create(spec: SandboxSpec): Promise<FakeSandbox> {
    await this.gate;
    if (this.failWith) throw new Error(this.failWith);
    const sandbox = new FakeSandbox(`sbx-${++this.next}`, spec.sessionId, spec.labels);
    this.sandboxes.set(sandbox.id, sandbox);
    return sandbox;
  }
  async get(id: string): Promise<FakeSandbox | undefined> {
    return this.sandboxes.get(id);
  }
  async list(): Promise<SandboxRecord[]> {
    return [...this.sandboxes.values()].map((s) => ({
      id: s.id,
      sessionId: s.sessionId,
      driver: this.name,
      createdAt: new Date(0),
      labels: s.labels,
    }));
  }
  async destroy(id: string): Promise<void> {
    if (this.sandboxes.delete(id)) this.destroyed.push(id);
  }
}
