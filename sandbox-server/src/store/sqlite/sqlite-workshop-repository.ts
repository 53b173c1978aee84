import type { Database } from 'better-sqlite3';
import {
  type LearnerDbRow,
  learnerFromDb,
  type WorkshopLearnerRow,
  type WorkshopMessageRow,
  type WorkshopRepository,
  type WorkshopRow,
} from '../workshop-repository.ts';

interface DbWorkshop {
  id: string;
  code: string;
  title: string;
  lessons: string;
  max_learners: number;
  lang: string;
  created_at: number;
  ends_at: number;
  ended_at: number | null;
}

const workshopFromDb = (r: DbWorkshop): WorkshopRow => ({
  id: r.id,
  code: r.code,
  title: r.title,
  lessons: JSON.parse(r.lessons) as string[],
  maxLearners: r.max_learners,
  lang: r.lang,
  createdAt: r.created_at,
  endsAt: r.ends_at,
  endedAt: r.ended_at,
});

/**
 * Workshops, their learners and broadcasts in SQLite (synchronous underneath; every promise is
 * settled on return).
 *
 * @example
 * const workshops = new SqliteWorkshopRepository(openSqlite(':memory:'));
 * await workshops.byCode('K7QX2M');
 */
export class SqliteWorkshopRepository implements WorkshopRepository {
  constructor(private readonly db: Database) {}

  async insert(w: WorkshopRow): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO workshops (id, code, title, lessons, max_learners, lang, created_at, ends_at, ended_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        w.id,
        w.code,
        w.title,
        JSON.stringify(w.lessons),
        w.maxLearners,
        w.lang,
        w.createdAt,
        w.endsAt,
        w.endedAt,
      );
  }

  async get(id: string): Promise<WorkshopRow | undefined> {
    const r = this.db.prepare('SELECT * FROM workshops WHERE id = ?').get(id) as
      | DbWorkshop
      | undefined;
    return r && workshopFromDb(r);
  }

  async byCode(code: string): Promise<WorkshopRow | undefined> {
    const r = this.db.prepare('SELECT * FROM workshops WHERE code = ?').get(code) as
      | DbWorkshop
      | undefined;
    return r && workshopFromDb(r);
  }

  async list(): Promise<WorkshopRow[]> {
    return (
      this.db.prepare('SELECT * FROM workshops ORDER BY created_at DESC, id').all() as DbWorkshop[]
    ).map(workshopFromDb);
  }

  async update(id: string, patch: Partial<Pick<WorkshopRow, 'endsAt' | 'endedAt'>>): Promise<void> {
    if (patch.endsAt !== undefined)
      this.db.prepare('UPDATE workshops SET ends_at = ? WHERE id = ?').run(patch.endsAt, id);
    if (patch.endedAt !== undefined)
      this.db.prepare('UPDATE workshops SET ended_at = ? WHERE id = ?').run(patch.endedAt, id);
  }

  async endOnce(id: string, at: number): Promise<boolean> {
    const { changes } = this.db
      .prepare('UPDATE workshops SET ended_at = ? WHERE id = ? AND ended_at IS NULL')
      .run(at, id);
    return changes === 1;
  }

  async addLearner(l: WorkshopLearnerRow): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO workshop_learners (learner_id, workshop_id, name, session_id, joined_at, rejoin_hash)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(l.learnerId, l.workshopId, l.name, l.sessionId, l.joinedAt, l.rejoinHash);
  }

  async setRejoinHash(learnerId: string, hash: string): Promise<void> {
    this.db
      .prepare('UPDATE workshop_learners SET rejoin_hash = ? WHERE learner_id = ?')
      .run(hash, learnerId);
  }

  async setLearnerSession(learnerId: string, sessionId: string): Promise<void> {
    this.db
      .prepare('UPDATE workshop_learners SET session_id = ? WHERE learner_id = ?')
      .run(sessionId, learnerId);
  }

  async learners(workshopId: string): Promise<WorkshopLearnerRow[]> {
    return this.learnersWhere('workshop_id = ? ORDER BY joined_at, learner_id', workshopId);
  }

  async learner(learnerId: string): Promise<WorkshopLearnerRow | undefined> {
    return this.learnersWhere('learner_id = ?', learnerId)[0];
  }

  async learnerByName(workshopId: string, name: string): Promise<WorkshopLearnerRow | undefined> {
    return this.learnersWhere('workshop_id = ? AND name = ?', workshopId, name)[0];
  }

  async addMessage(workshopId: string, text: string, sentAt: number): Promise<WorkshopMessageRow> {
    const info = this.db
      .prepare('INSERT INTO workshop_messages (workshop_id, text, sent_at) VALUES (?, ?, ?)')
      .run(workshopId, text, sentAt);
    return { id: Number(info.lastInsertRowid), text, sentAt };
  }

  async messages(workshopId: string): Promise<WorkshopMessageRow[]> {
    return (
      this.db
        .prepare(
          'SELECT id, text, sent_at FROM workshop_messages WHERE workshop_id = ? ORDER BY id',
        )
        .all(workshopId) as { id: number; text: string; sent_at: number }[]
    ).map((r) => ({ id: r.id, text: r.text, sentAt: r.sent_at }));
  }

  private learnersWhere(where: string, ...args: unknown[]): WorkshopLearnerRow[] {
    const rows = this.db
      .prepare(`SELECT * FROM workshop_learners WHERE ${where}`)
      .all(...args) as LearnerDbRow[];
    return rows.map(learnerFromDb);
  }
}
