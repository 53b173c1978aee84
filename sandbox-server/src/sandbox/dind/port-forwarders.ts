import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { belongsTo, openSandboxNetns, type SandboxInit } from './sandbox-netns.ts';

/**
 * Byte streams to 127.0.0.1:<port> inside a sandbox without going through its engine. An Engine
 * API exec per request cost ~1 s under load, and even a fork of the server per request ~25 ms;
 * instead the first request to a port starts one `socat` listener in the sandbox's network
 * namespace (nsenter --net) on a host unix socket, and every later request is a unix connect
 * plus a fork of that small socat. That is what makes `http` checks and the ports proxy cheap.
 *
 * Only the network namespace is entered: socat runs outside the sandbox's user and mount
 * namespaces, on a socket only host root can open, and only moves bytes. It dies with the
 * server (setpriv --pdeathsig) and with its sandbox (`close`).
 */

/** At most this many connections per port at once; more wait in the listen backlog. */
const MAX_CONNECTIONS_PER_PORT = 32;
const LISTENER_READY_MS = 5000;
/**
 * After one side closes its half, socat waits this long for the other before it hangs up. Its
 * default, 0.5 s, cut off a slow server's answer to a client that half-closed after its request
 * (what `curl`-like clients and a loaded machine do).
 */
const HALF_CLOSE_WAIT_S = 60;
/**
 * Listeners one sandbox keeps; a new port beyond this ends the least recently used one (a
 * learner scanning 65,535 ports would otherwise get 65,535 host processes).
 */
export const MAX_LISTENERS_PER_SANDBOX = 8;
/** A listener nobody connected through for this long is ended; the next request starts it again. */
export const LISTENER_IDLE_MS = 5 * 60_000;

interface Listener {
  child: ChildProcess;
  socketPath: string;
  ready: Promise<void>;
  lastUsedAt: number;
}

interface SandboxListeners {
  /** Looked up once per sandbox; concurrent first requests share it. */
  init: Promise<SandboxInit>;
  ports: Map<number, Listener>;
}

/**
 * Every sandbox's port listeners, shared by all handles on the same driver.
 *
 * @example
 * const forwarders = new PortForwarders('/run/handson/ports');
 * const socket = await forwarders.connect('3fa2…', () => inspectInit(), 8080);
 */
export class PortForwarders {
  private readonly sandboxes = new Map<string, SandboxListeners>();
  private readonly reaper: NodeJS.Timeout;

  constructor(
    private readonly dir: string,
    private readonly limits = { perSandbox: MAX_LISTENERS_PER_SANDBOX, idleMs: LISTENER_IDLE_MS },
  ) {
    this.reaper = setInterval(
      () => this.reapIdle(),
      Math.max(1000, Math.min(60_000, limits.idleMs / 2)),
    );
    this.reaper.unref();
  }

  /** Listeners running for sandbox `id` (for tests and metrics). */
  listenerCount(id: string): number {
    return this.sandboxes.get(id)?.ports.size ?? 0;
  }

  /** End every listener idle for longer than the idle limit. */
  reapIdle(now = Date.now()): void {
    for (const entry of this.sandboxes.values()) {
      for (const [port, listener] of entry.ports) {
        if (now - listener.lastUsedAt > this.limits.idleMs) this.stop(entry, port);
      }
    }
  }

  /** A connected socket to `port` inside sandbox `id`. */
  async connect(
    id: string,
    findInit: () => Promise<SandboxInit>,
    port: number,
  ): Promise<net.Socket> {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`bad port ${port}`);
    for (let attempt = 0; ; attempt++) {
      const entry = this.entry(id, findInit);
      const init = await entry.init;
      if (!belongsTo(init) && attempt === 0) {
        // The sandbox restarted since we looked: its listeners forward into a dead namespace.
        if (this.sandboxes.get(id) === entry) this.close(id);
        continue;
      }
      const listener = entry.ports.get(port) ?? this.listen(id, init, entry, port);
      listener.lastUsedAt = Date.now();
      await listener.ready;
      return connectSoon(listener.socketPath);
    }
  }

  private entry(id: string, findInit: () => Promise<SandboxInit>): SandboxListeners {
    const known = this.sandboxes.get(id);
    if (known) return known;
    const entry: SandboxListeners = { init: findInit(), ports: new Map() };
    entry.init.catch(() => {
      if (this.sandboxes.get(id) === entry) this.sandboxes.delete(id);
    });
    this.sandboxes.set(id, entry);
    return entry;
  }

  /** Stop sandbox `id`'s listeners (its sandbox is going away). */
  close(id: string): void {
    const entry = this.sandboxes.get(id);
    if (!entry) return;
    this.sandboxes.delete(id);
    for (const listener of entry.ports.values()) listener.child.kill('SIGKILL');
    rmSync(path.join(this.dir, id), { recursive: true, force: true });
  }

  /** End one listener; connections it already forked for go on to their end. */
  private stop(entry: SandboxListeners, port: number): void {
    const listener = entry.ports.get(port);
    if (!listener) return;
    entry.ports.delete(port);
    listener.child.kill('SIGKILL');
    rmSync(listener.socketPath, { force: true });
  }

  private listen(id: string, init: SandboxInit, entry: SandboxListeners, port: number): Listener {
    while (entry.ports.size >= this.limits.perSandbox) {
      const [oldest] = [...entry.ports].sort(([, a], [, b]) => a.lastUsedAt - b.lastUsedAt)[0]!;
      this.stop(entry, oldest);
    }
    const dir = path.join(this.dir, id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const socketPath = path.join(dir, `${port}.sock`);
    const netns = openSandboxNetns(init);
    let child: ChildProcess;
    try {
      child = spawn(
        'setpriv',
        [
          '--pdeathsig',
          'SIGKILL',
          'nsenter',
          '--net=/proc/self/fd/3',
          '--',
          'socat',
          '-t',
          String(HALF_CLOSE_WAIT_S),
          `UNIX-LISTEN:${socketPath},fork,unlink-early,mode=600,backlog=128,max-children=${MAX_CONNECTIONS_PER_PORT}`,
          `TCP:127.0.0.1:${port}`,
        ],
        { stdio: ['ignore', 'ignore', 'ignore', netns] },
      );
    } finally {
      closeSync(netns);
    }
    const exited = new Promise<never>((_, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(new Error(`the port listener exited (${signal ?? `code ${code}`})`)),
      );
    });
    exited.catch(() => {
      if (entry.ports.get(port)?.child === child) entry.ports.delete(port);
    });
    const ready = Promise.race([waitForSocket(socketPath), exited]);
    ready.catch(() => child.kill('SIGKILL'));
    const listener = { child, socketPath, ready, lastUsedAt: Date.now() };
    entry.ports.set(port, listener);
    return listener;
  }
}

function connectUnix(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/**
 * Refusals worth another try: socat creates its socket file just before it listens, and a full
 * backlog answers EAGAIN on a unix socket.
 */
const RETRYABLE = new Set(['ECONNREFUSED', 'ENOENT', 'EAGAIN']);

/** A connection to a port's listener, retried while the listener is only just starting. */
async function connectSoon(socketPath: string): Promise<net.Socket> {
  const deadline = Date.now() + LISTENER_READY_MS;
  for (;;) {
    try {
      return await connectUnix(socketPath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!RETRYABLE.has(code ?? '') || Date.now() > deadline) throw error;
      await sleep(5);
    }
  }
}

/**
 * Wait for socat's socket file. Not a probe connection: that would reach the learner's server
 * as a stray empty connection.
 */
async function waitForSocket(socketPath: string): Promise<void> {
  const deadline = Date.now() + LISTENER_READY_MS;
  while (!existsSync(socketPath)) {
    if (Date.now() > deadline) throw new Error('the port listener did not start');
    await sleep(5);
  }
}
