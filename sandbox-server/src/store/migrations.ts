import type { Database } from 'better-sqlite3';

/**
 * The schema, as numbered steps applied in order. A step is never edited once released: add a
 * new one instead, so a database created by any earlier version upgrades in place.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions and progress',
    sql: `
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
  },
  {
    version: 2,
    name: 'server identity',
    sql: `
      -- Small facts about this database, e.g. the id this server labels its sandboxes with.
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'workshops and check attempts',
    sql: `
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
  },
  {
    version: 4,
    name: 'workshop learners re-join with a secret',
    // NULL for learners who joined before: their next re-join by learner id alone is accepted
    // once and gives them a secret (workshops/rejoin.ts).
    sql: `ALTER TABLE workshop_learners ADD COLUMN rejoin_hash TEXT;`,
  },
];

/**
 * Apply every migration newer than the database, each in its own transaction.
 *
 * @example
 * migrate(db); // db now has the latest schema
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const row = db.prepare('SELECT MAX(version) AS v FROM migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    })();
    applied.push(m.version);
  }
  return applied;
}
