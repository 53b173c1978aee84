import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { clientConfig, unreachable } from './postgres-pool.ts';

/** Postgres refuses a NOTIFY payload of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_900;

/**
 * A channel between the processes on one Postgres database (`LISTEN/NOTIFY`): what one
 * publishes, every other one hears. A process does not hear itself (it already acted on what it
 * published). Messages are JSON; `accept` decides what a received one is, and drops the rest.
 *
 * @example
 * const channel = await PostgresChannel.open(url, 'handson_workshops', parseChange);
 * channel.onMessage((change) => emitLocally(change));
 * await channel.publish({ type: 'ended', workshopId: 'w1' });
 */
export class PostgresChannel<T> {
  private readonly listeners = new Set<(message: T) => void>();
  /** Marks this process's own messages, which Postgres delivers back to it too. */
  private readonly origin = randomBytes(8).toString('hex');
  private closed = false;
  /** The publish before this one: the next waits for it. */
  private sending: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: pg.Client,
    private readonly name: string,
    private readonly accept: (value: unknown) => T | undefined,
  ) {
    client.on('notification', (n) => {
      if (n.channel !== name || n.payload === undefined) return;
      const message = this.decode(n.payload);
      if (message !== undefined) for (const listener of this.listeners) listener(message);
    });
  }

  /**
   * Listen on the channel `name` (an SQL identifier) over a connection of its own.
   * `onLost` hears when that connection breaks: messages stop until the server restarts.
   */
  static async open<T>(
    url: string,
    name: string,
    accept: (value: unknown) => T | undefined,
    onLost: (error: Error) => void = () => undefined,
  ): Promise<PostgresChannel<T>> {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Bad channel name "${name}".`);
    const client = new pg.Client(clientConfig(url));
    try {
      await client.connect();
    } catch (error) {
      throw unreachable(url, error);
    }
    const channel = new PostgresChannel(client, name, accept);
    client.on('error', (error) => {
      if (!channel.closed) onLost(new Error(`The ${name} channel was lost: ${error.message}`));
    });
    await client.query(`LISTEN ${name}`);
    return channel;
  }

  onMessage(listener: (message: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Send `message` to the other processes; one too large for a NOTIFY throws. */
  async publish(message: T): Promise<void> {
    if (this.closed) return;
    const payload = JSON.stringify({ from: this.origin, message });
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      throw new Error(
        `A ${this.name} message of ${Buffer.byteLength(payload)} bytes is too large.`,
      );
    }
    // One at a time, in order: a pg.Client runs one query at a time, and changes published at
    // once (a class joining) would otherwise pile onto it together.
    const sent = this.sending.then(() =>
      this.client.query('SELECT pg_notify($1, $2)', [this.name, payload]),
    );
    this.sending = sent.then(
      () => undefined,
      () => undefined,
    );
    await sent;
  }

  private decode(payload: string): T | undefined {
    try {
      const { from, message } = JSON.parse(payload) as { from?: unknown; message?: unknown };
      return from === this.origin ? undefined : this.accept(message);
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.end().catch(() => undefined);
  }
}
