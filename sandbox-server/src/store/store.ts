import type { AttemptRepository } from './attempt-repository.ts';
import { isPostgresUrl } from './database-url.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
import type { ProgressRepository } from './progress-repository.ts';
import type { SessionRepository } from './session-repository.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { WorkshopRepository } from './workshop-repository.ts';

/**
 * Everything the server keeps, one repository per table group. Two implementations behave the
 * same: the embedded SQLite default (`sqlite/`) and PostgreSQL (`postgres/`), chosen by
 * `HANDSON_DATABASE` (see `openStore`).
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly sessions: SessionRepository;
  readonly attempts: AttemptRepository;
  readonly progress: ProgressRepository;
  readonly workshops: WorkshopRepository;
  /**
   * The id of the server that owns this database, created on first use. Sandboxes are
   * labelled with it, so a restarted server removes only its own orphans and never the
   * sandboxes of another server or of `handson verify` on the same engine.
   *
   * @example
   * await store.serverInstanceId() // 'a1b2c3d4e5f6a7b8', the same on every start
   */
  serverInstanceId(): Promise<string>;
  /** Close the database (its connections); the store is unusable afterwards. */
  close(): Promise<void>;
}

/**
 * Open the store `database` names, migrated to the latest schema: a `postgres://` or
 * `postgresql://` URL is a PostgreSQL database, anything else a SQLite file (`:memory:` in
 * tests). `log` hears what goes wrong between queries (a Postgres connection breaking).
 *
 * @example
 * const store = await openStore(loadConfig().database);
 * await store.sessions.list(['ready']);
 */
export async function openStore(database: string, log?: (message: string) => void): Promise<Store> {
  return isPostgresUrl(database) ? openPostgresStore(database, log) : openSqliteStore(database);
}
