import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromServer, ServerProcessOptions, ToServer } from './server-process.ts';

const SCRIPT = fileURLToPath(new URL('./server-process.ts', import.meta.url));

/**
 * The parent's side of server-process.ts: a handson server in a child process, asked over IPC.
 *
 * @example
 * const server = await ServerChild.start({ database, maxSandboxes: 105 });
 * console.log(await server.stats());
 * await server.close();
 */
export class ServerChild {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(options: ServerProcessOptions): Promise<ServerChild> {
    const child = fork(SCRIPT, [], {
      // --expose-gc: stats({ gc: true }) measures what the server holds after a collection.
      execArgv: ['--import', 'tsx', '--expose-gc'],
      env: { ...process.env, HANDSON_BENCH_SERVER: JSON.stringify(options) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await answer(child, 'ready');
    return new ServerChild(child, ready.url);
  }

  /** Whether the server process still runs (false once it exited or was killed). */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the class's sandboxes have booted; with how many are waiting. */
  async settled(): Promise<number> {
    return (await this.ask({ type: 'settled' }, 'settled')).available;
  }

  /** The server's RSS (after a full garbage collection with `gc`), and its event-loop delay since the last call. */
  stats(opts: { gc?: boolean } = {}): Promise<Extract<FromServer, { type: 'stats' }>> {
    return this.ask({ type: 'stats', ...opts }, 'stats');
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'close' } satisfies ToServer);
    await exited;
  }

  private ask<T extends FromServer['type']>(
    message: ToServer,
    reply: T,
  ): Promise<Extract<FromServer, { type: T }>> {
    const answered = answer(this.child, reply);
    this.child.send(message);
    return answered;
  }
}

/** The child's next message of type `type`; fails if the child exits first. */
function answer<T extends FromServer['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromServer, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromServer) => {
      if (message.type !== type) return;
      cleanup();
      resolve(message as Extract<FromServer, { type: T }>);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the bench's server exited (${code}) before it answered "${type}"`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
