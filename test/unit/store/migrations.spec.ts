import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../sandbox-server/src/store/database.ts';
import { MIGRATIONS, migrate } from '../../../sandbox-server/src/store/migrations.ts';
import { ProgressRepository } from '../../../sandbox-server/src/store/progress-repository.ts';
import {
  SessionRepository,
  type SessionRow,
} from '../../../sandbox-server/src/store/session-repository.ts';

const dirs: string[] = [];
const tempDb = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handson-store-'));
  dirs.push(dir);
  return path.join(dir, 'nested', 'handson.sqlite');
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const row = (over: Partial<SessionRow> = {}): SessionRow => ({
  id: 's1',
  tokenHash: 'ab'.repeat(32),
  learnerId: null,
  lang: 'en',
  lesson: null,
  step: null,
  state: 'starting',
  message: null,
  sandboxId: null,
  driver: 'dind',
  createdAt: 1,
  expiresAt: 2,
  lastActivityAt: 1,
  workshopId: null,
  ...over,
});

describe('the store', () => {
  it('creates a database file (and its directory) in WAL mode with every migration applied', () => {
    const file = tempDb();
    const db = openDatabase(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const versions = db.prepare('SELECT version FROM migrations ORDER BY version').all();
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    db.close();
  });

  it('applies nothing twice when reopened', () => {
    const file = tempDb();
    openDatabase(file).close();
    const db = new BetterSqlite3(file);
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('upgrades an older database with only the newer migrations', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, MIGRATIONS.slice(0, 1));
    const next = { version: 2, name: 'test column', sql: 'ALTER TABLE sessions ADD COLUMN x TEXT' };
    expect(migrate(db, [...MIGRATIONS.slice(0, 1), next])).toEqual([2]);
    expect(db.prepare('SELECT x FROM sessions').all()).toEqual([]);
  });

  it('rolls back a migration that fails, leaving the version unrecorded', () => {
    const db = new BetterSqlite3(':memory:');
    const bad = { version: 1, name: 'broken', sql: 'CREATE TABLE a (x); CREATE TABLE a (y);' };
    expect(() => migrate(db, [bad])).toThrow(/already exists/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM migrations').get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'a'").all()).toEqual([]);
  });

  it('stores sessions and reads them back, with patches and state filters', () => {
    const repo = new SessionRepository(openDatabase(':memory:'));
    repo.insert(row());
    repo.insert(row({ id: 's2', state: 'expired', lastActivityAt: 5 }));
    repo.update('s1', { state: 'ready', sandboxId: 'sbx', lesson: 'l', step: 'a' });
    expect(repo.get('s1')).toEqual(
      row({ state: 'ready', sandboxId: 'sbx', lesson: 'l', step: 'a' }),
    );
    expect(repo.list(['ready']).map((r) => r.id)).toEqual(['s1']);
    expect(repo.purgeExpired(10)).toBe(1);
    repo.delete('s1');
    expect(repo.list()).toEqual([]);
  });

  it('refuses a state outside the state machine', () => {
    const repo = new SessionRepository(openDatabase(':memory:'));
    expect(() => repo.insert(row({ state: 'running' as never }))).toThrow(/CHECK constraint/);
  });

  it('records progress once per learner and step, keeping the first pass', () => {
    const progress = new ProgressRepository(openDatabase(':memory:'));
    progress.recordPass('me', 'l1', 'a', 10);
    progress.recordPass('me', 'l1', 'a', 20);
    progress.recordPass('me', 'l1', 'b', 30);
    expect(progress.forLearner('me')).toEqual([
      { learnerId: 'me', lesson: 'l1', step: 'a', passedAt: 10 },
      { learnerId: 'me', lesson: 'l1', step: 'b', passedAt: 30 },
    ]);
    expect(progress.forLearner('other')).toEqual([]);
  });
});
