/**
 * The schema, as numbered steps applied in order, each written once for SQLite and once for
 * Postgres: the same tables, columns and constraints, in each database's own types (times are
 * epoch milliseconds: INTEGER in SQLite, BIGINT in Postgres). A step is never edited once
 * released: add a new one instead, so a database created by any earlier version upgrades in
 * place. `sqlite/sqlite-migrate.ts` and `postgres/postgres-migrate.ts` apply them.
 */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions and progress',
    sqlite: `
      CREATE TABLE sessions (
        id              TEXT PRIMARY KEY,
        token_hash      TEXT NOT NULL,          -- sha256 of the bearer token; the token itself is never stored
        learner_id      TEXT,                   -- who the session belongs to (workshops, resume); NULL = anonymous
        lang            TEXT NOT NULL,
        lesson          TEXT,
        step            TEXT,
        state           TEXT NOT NULL CHECK (state IN ('starting', 'ready', 'failed', 'expired')),
        message         TEXT,                   -- why the session failed or expired, for the learner
        sandbox_id      TEXT,
        driver          TEXT NOT NULL,
        created_at      INTEGER NOT NULL,       -- epoch milliseconds, like every time here
        expires_at      INTEGER NOT NULL,
        last_activity_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_state ON sessions (state);
      CREATE INDEX sessions_learner ON sessions (learner_id);
      CREATE TABLE progress (
        learner_id TEXT NOT NULL,
        lesson     TEXT NOT NULL,
        step       TEXT NOT NULL,
        passed_at  INTEGER NOT NULL,
        PRIMARY KEY (learner_id, lesson, step)
      );
    `,
    postgres: `
      CREATE TABLE sessions (
        id               TEXT PRIMARY KEY,
        token_hash       TEXT NOT NULL,
        learner_id       TEXT,
        lang             TEXT NOT NULL,
        lesson           TEXT,
        step             TEXT,
        state            TEXT NOT NULL CHECK (state IN ('starting', 'ready', 'failed', 'expired')),
        message          TEXT,
        sandbox_id       TEXT,
        driver           TEXT NOT NULL,
        created_at       BIGINT NOT NULL,
        expires_at       BIGINT NOT NULL,
        last_activity_at BIGINT NOT NULL
      );
      CREATE INDEX sessions_state ON sessions (state);
      CREATE INDEX sessions_learner ON sessions (learner_id);
      CREATE TABLE progress (
        learner_id TEXT NOT NULL,
        lesson     TEXT NOT NULL,
        step       TEXT NOT NULL,
        passed_at  BIGINT NOT NULL,
        PRIMARY KEY (learner_id, lesson, step)
      );
    `,
  },
  {
    version: 2,
    name: 'server identity',
    // Small facts about this database, e.g. the id this server labels its sandboxes with.
    sqlite: 'CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);',
    postgres: 'CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);',
  },
  {
    version: 3,
    name: 'workshops and check attempts',
    sqlite: `
      -- A session that belongs to a workshop lives as long as the workshop (no idle reaping).
      ALTER TABLE sessions ADD COLUMN workshop_id TEXT;
      CREATE TABLE workshops (
        id           TEXT PRIMARY KEY,
        code         TEXT NOT NULL UNIQUE,      -- what learners type to join
        title        TEXT NOT NULL,
        lessons      TEXT NOT NULL,             -- JSON array of lesson ids, in teaching order
        max_learners INTEGER NOT NULL,
        lang         TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        ends_at      INTEGER NOT NULL,
        ended_at     INTEGER                    -- set when the instructor ends it early
      );
      CREATE TABLE workshop_learners (
        learner_id  TEXT PRIMARY KEY,
        workshop_id TEXT NOT NULL REFERENCES workshops (id),
        name        TEXT NOT NULL,
        session_id  TEXT NOT NULL,
        joined_at   INTEGER NOT NULL,
        UNIQUE (workshop_id, name)
      );
      CREATE TABLE workshop_messages (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        workshop_id TEXT NOT NULL REFERENCES workshops (id),
        text        TEXT NOT NULL,
        sent_at     INTEGER NOT NULL
      );
      -- Every press of Check, passed or not: what "who is stuck where" is computed from.
      CREATE TABLE check_attempts (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        learner_id TEXT NOT NULL,
        lesson     TEXT NOT NULL,
        step       TEXT NOT NULL,
        passed     INTEGER NOT NULL,
        message    TEXT,                        -- the first failing check's message, as the learner saw it
        at         INTEGER NOT NULL
      );
      CREATE INDEX check_attempts_learner ON check_attempts (learner_id, at);
    `,
    postgres: `
      ALTER TABLE sessions ADD COLUMN workshop_id TEXT;
      CREATE TABLE workshops (
        id           TEXT PRIMARY KEY,
        code         TEXT NOT NULL UNIQUE,
        title        TEXT NOT NULL,
        lessons      JSONB NOT NULL,
        max_learners INTEGER NOT NULL,
        lang         TEXT NOT NULL,
        created_at   BIGINT NOT NULL,
        ends_at      BIGINT NOT NULL,
        ended_at     BIGINT
      );
      CREATE TABLE workshop_learners (
        learner_id  TEXT PRIMARY KEY,
        workshop_id TEXT NOT NULL REFERENCES workshops (id),
        name        TEXT NOT NULL,
        session_id  TEXT NOT NULL,
        joined_at   BIGINT NOT NULL,
        UNIQUE (workshop_id, name)
      );
      CREATE TABLE workshop_messages (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        workshop_id TEXT NOT NULL REFERENCES workshops (id),
        text        TEXT NOT NULL,
        sent_at     BIGINT NOT NULL
      );
      CREATE TABLE check_attempts (
        id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        learner_id TEXT NOT NULL,
        lesson     TEXT NOT NULL,
        step       TEXT NOT NULL,
        passed     BOOLEAN NOT NULL,
        message    TEXT,
        at         BIGINT NOT NULL
      );
      CREATE INDEX check_attempts_learner ON check_attempts (learner_id, at);
    `,
  },
  {
    version: 4,
    name: 'workshop learners re-join with a secret',
    // NULL for learners who joined before: their next re-join by learner id alone is accepted
    // once and gives them a secret (workshops/rejoin.ts).
    sqlite: 'ALTER TABLE workshop_learners ADD COLUMN rejoin_hash TEXT;',
    postgres: 'ALTER TABLE workshop_learners ADD COLUMN rejoin_hash TEXT;',
  },
  {
    version: 5,
    name: 'server leases',
    // SQLite's one-server lock is a file lock beside the database (sqlite-server-lock.ts).
    sqlite: '-- no table: the lock lives in <database>.lock',
    // Postgres's is an advisory lock held by the server's own connection (postgres-server-lock.ts);
    // this table says who holds it, for the message a refused server prints. One row per
    // lease: `server` for the one-server lock today, one per replica once replicas share a
    // database (a lease whose expires_at has passed is free).
    postgres: `
      CREATE TABLE server_leases (
        name       TEXT PRIMARY KEY,
        pid        INTEGER NOT NULL,
        host       TEXT NOT NULL,               -- the machine's name: a pid means little on another one
        address    TEXT NOT NULL,               -- the server's URL, or 'starting' before it listens
        started_at BIGINT NOT NULL,
        renewed_at BIGINT NOT NULL,
        expires_at BIGINT                       -- NULL: held as long as the advisory lock's connection lives
      );
    `,
  },
  {
    version: 6,
    name: 'session owners',
    // Which replica of a cluster serves a session (postgres-replica.ts); a single server has no
    // replicas and never reads it. The same table on SQLite, for one schema in spirit.
    sqlite: `
      CREATE TABLE session_owners (
        session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
        replica    TEXT NOT NULL
      );
      CREATE INDEX session_owners_replica ON session_owners (replica);
    `,
    postgres: `
      CREATE TABLE session_owners (
        session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
        replica    TEXT NOT NULL                 -- a server_leases name, e.g. replica-4400
      );
      CREATE INDEX session_owners_replica ON session_owners (replica);
    `,
  },
  {
    version: 7,
    name: 'rate buckets shared by replicas',
    // One server per SQLite database: its per-address limits live in its memory (rate-limiter.ts).
    sqlite: "-- no table: the buckets live in the one server's memory",
    // Replicas share one budget per address (postgres-limiter.ts). A row is a token bucket as
    // the time it is full again; a row past that is the same as no row, and is deleted, so the
    // table holds only the addresses of the last minute or so. UNLOGGED: no WAL for a write on
    // every limited request; a crash empties it, which gives everyone a fresh budget, no worse.
    postgres: `
      CREATE UNLOGGED TABLE rate_buckets (
        limiter TEXT NOT NULL,                  -- which limit, e.g. session-create
        key     TEXT NOT NULL,                  -- a client address (addressKey), or * for everyone
        full_at DOUBLE PRECISION NOT NULL,      -- epoch milliseconds when the bucket is full again
        PRIMARY KEY (limiter, key)
      );
      CREATE INDEX rate_buckets_full ON rate_buckets (limiter, full_at);
    `,
  },
];
