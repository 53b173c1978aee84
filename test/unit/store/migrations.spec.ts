import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { MIGRATIONS, type Migration } from '../../../sandbox-server/src/store/migrations.ts';
import { migratePostgres } from '../../../sandbox-server/src/store/postgres/postgres-migrate.ts';
import { openSqlite } from '../../../sandbox-server/src/store/sqlite/open-sqlite.ts';
import { migrateSqlite } from '../../../sandbox-server/src/store/sqlite/sqlite-migrate.ts';
import { openStore } from '../../../sandbox-server/src/store/store.ts';
import { freshDatabase, STORE_KINDS, type StoreKind } from './store-kinds.ts';

/** Raw SQL on a database of either kind, to look under the repositories. */
interface Raw {
  migrate(migrations: readonly Migration[]): Promise<number[]>;
  all(sql: string): Promise<unknown[]>;
  tableExists(name: string): Promise<boolean>;
}

async function raw(kind: StoreKind, database: string): Promise<Raw> {
  if (kind === 'sqlite') {
    fs.mkdirSync(path.dirname(database), { recursive: true });
    const db = new BetterSqlite3(database);
    onTestFinished(() => {
      db.close();
    });
    return {
      migrate: async (m) => migrateSqlite(db, m),
      all: async (sql) => db.prepare(sql).all(),
      tableExists: async (name) =>
        db.prepare('SELECT name FROM sqlite_master WHERE name = ?').all(name).length > 0,
    };
  }
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  onTestFinished(async () => {
    await client.end();
  });
  return {
    migrate: (m) => migratePostgres(client, m),
    all: async (sql) => (await client.query(sql)).rows,
    tableExists: async (name) =>
      ((await client.query('SELECT to_regclass($1) AS t', [name])).rows[0] as { t: unknown }).t !==
      null,
  };
}

const step = (version: number, name: string, sql: string): Migration => ({
  version,
  name,
  sqlite: sql,
  postgres: sql,
});

describe('the SQLite file', () => {
  it('is created (with its directory) in WAL mode', async () => {
    const file = await freshDatabase('sqlite');
    const db = openSqlite(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});

describe('every migration', () => {
  it('is written for both databases, in version order without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    for (const m of MIGRATIONS) {
      expect(m.sqlite.trim(), `${m.name} (sqlite)`).not.toBe('');
      expect(m.postgres.trim(), `${m.name} (postgres)`).not.toBe('');
    }
  });
});

describe.each(STORE_KINDS)('migrations on %s', (kind) => {
  it('applies every migration to a new database', async () => {
    const database = await freshDatabase(kind);
    await (await openStore(database)).close();
    const db = await raw(kind, database);
    expect(await db.all('SELECT version FROM migrations ORDER BY version')).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version })),
    );
  });

  it('applies nothing twice when reopened', async () => {
    const database = await freshDatabase(kind);
    await (await openStore(database)).close();
    await (await openStore(database)).close();
    expect(await (await raw(kind, database)).migrate(MIGRATIONS)).toEqual([]);
  });

  it('upgrades an older database with only the newer migrations', async () => {
    const db = await raw(kind, await freshDatabase(kind));
    await db.migrate(MIGRATIONS.slice(0, 1));
    const next = step(2, 'test column', 'ALTER TABLE sessions ADD COLUMN x TEXT');
    expect(await db.migrate([...MIGRATIONS.slice(0, 1), next])).toEqual([2]);
    expect(await db.all('SELECT x FROM sessions')).toEqual([]);
  });

  it('rolls back a migration that fails, leaving the version unrecorded', async () => {
    const db = await raw(kind, await freshDatabase(kind));
    const bad = step(1, 'broken', 'CREATE TABLE a (x TEXT); CREATE TABLE a (y TEXT);');
    await expect(db.migrate([bad])).rejects.toThrow(/already exists/);
    expect(await db.all('SELECT version FROM migrations')).toEqual([]);
    expect(await db.tableExists('a')).toBe(false);
  });
});
