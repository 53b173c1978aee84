import { displayDatabase } from './database-url.ts';

/** Who holds a database's server lock, as the holder wrote it. */
export interface ServerLockHolder {
  pid: number;
  /** The server's URL, or `starting` before it listens. */
  address: string;
  startedAt: string;
  /** The machine it runs on, when the database is shared over the network (Postgres). */
  host?: string;
}

export interface ServerLock {
  /** Record the address once the server listens (for the next refused server's message). */
  announce(address: string): Promise<void>;
  /** Let go: the next server on this database may start. Idempotent. */
  release(): Promise<void>;
}

/** The error a second server gets; `holder` is what the running one wrote about itself. */
export class DatabaseHeldError extends Error {
  constructor(
    readonly database: string,
    readonly holder: ServerLockHolder | undefined,
  ) {
    const where = holder?.host ? `, on ${holder.host}` : '';
    const who = holder
      ? `pid ${holder.pid}, ${holder.address}, since ${holder.startedAt}${where}`
      : 'its pid is not known yet: it is starting';
    super(
      `Another handson server is running on the database ${displayDatabase(database)} (${who}). ` +
        'Use that server, stop it first, or give this one its own database with HANDSON_DATABASE.',
    );
    this.name = 'DatabaseHeldError';
  }
}
