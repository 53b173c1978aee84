import type { AttemptRepository } from './attempt-repository.ts';
import { isPostgresUrl } from './database-url.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
import type { ProgressRepository } from './progress-repository.ts';
import type { Limiter, RateLimit, WhenStoreFails } from './rate-limits.ts';
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
  /**
   * A token-bucket limiter named `name` (one per limit: the same name is the same budget, the
   * first `limit` given counts), counted once for every server on this database: SQLite keeps it in this process's memory (one server per database, no store
   * round-trip), Postgres in a table every replica shares. `whenStoreFails` says what a
   * Postgres failure does to this limit. `now` is for tests.
   *
   * @example
   * const create = store.limiter('session-create', { burst: 5, perMinute: 10 }, 'this-process');
   */
  limiter(
    name: string,
    limit: RateLimit,
    whenStoreFails: WhenStoreFails,
    now?: () => number,
  ): Limiter;
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
