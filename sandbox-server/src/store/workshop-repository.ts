import type { Database } from 'better-sqlite3';

/** One workshop, times in epoch milliseconds. */
export interface WorkshopRow {
  id: string;
  code: string;
  title: string;
  lessons: string[];
  maxLearners: number;
  lang: string;
  createdAt: number;
  endsAt: number;
  endedAt: number | null;
}

export interface WorkshopLearnerRow {
  learnerId: string;
  workshopId: string;
  name: string;
  sessionId: string;
  joinedAt: number;
  /** Hash of the secret a re-join must show; null for learners who joined before secrets. */
  rejoinHash: string | null;
}

export interface WorkshopMessageRow {
  id: number;
  text: string;
  sentAt: number;
}

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
 * Workshops, their learners and the instructor's broadcast messages.
 *
 * @example
 * const workshops = new WorkshopRepository(db);
 * workshops.insert(row);
 * workshops.byCode('K7QX2M');
 */
export class WorkshopRepository {
  constructor(private readonly db: Database) {}

  insert(w: WorkshopRow): void {
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

  get(id: string): WorkshopRow | undefined {
    const r = this.db.prepare('SELECT * FROM workshops WHERE id = ?').get(id) as
      | DbWorkshop
      | undefined;
    return r && workshopFromDb(r);
  }

  byCode(code: string): WorkshopRow | undefined {
    const r = this.db.prepare('SELECT * FROM workshops WHERE code = ?').get(code) as
      | DbWorkshop
      | undefined;
    return r && workshopFromDb(r);
  }

  /** Every workshop, newest first. */
  list(): WorkshopRow[] {
    return (
      this.db.prepare('SELECT * FROM workshops ORDER BY created_at DESC').all() as DbWorkshop[]
    ).map(workshopFromDb);
  }

  update(id: string, patch: Partial<Pick<WorkshopRow, 'endsAt' | 'endedAt'>>): void {
    if (patch.endsAt !== undefined)
      this.db.prepare('UPDATE workshops SET ends_at = ? WHERE id = ?').run(patch.endsAt, id);
    if (patch.endedAt !== undefined)
      this.db.prepare('UPDATE workshops SET ended_at = ? WHERE id = ?').run(patch.endedAt, id);
  }

  addLearner(l: WorkshopLearnerRow): void {
    this.db
      .prepare(
        `INSERT INTO workshop_learners (learner_id, workshop_id, name, session_id, joined_at, rejoin_hash)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(l.learnerId, l.workshopId, l.name, l.sessionId, l.joinedAt, l.rejoinHash);
  }

  /** Replace the hash of the learner's re-join secret. */
  setRejoinHash(learnerId: string, hash: string): void {
    this.db
      .prepare('UPDATE workshop_learners SET rejoin_hash = ? WHERE learner_id = ?')
      .run(hash, learnerId);
  }

  /** Point a learner at a new session (they re-joined after theirs was lost). */
  setLearnerSession(learnerId: string, sessionId: string): void {
    this.db
      .prepare('UPDATE workshop_learners SET session_id = ? WHERE learner_id = ?')
      .run(sessionId, learnerId);
  }

  learners(workshopId: string): WorkshopLearnerRow[] {
    return this.learnersWhere('workshop_id = ? ORDER BY joined_at', workshopId);
  }

  learner(learnerId: string): WorkshopLearnerRow | undefined {
    return this.learnersWhere('learner_id = ?', learnerId)[0];
  }

  learnerByName(workshopId: string, name: string): WorkshopLearnerRow | undefined {
    return this.learnersWhere('workshop_id = ? AND name = ?', workshopId, name)[0];
  }

  addMessage(workshopId: string, text: string, sentAt: number): WorkshopMessageRow {
    const info = this.db
      .prepare('INSERT INTO workshop_messages (workshop_id, text, sent_at) VALUES (?, ?, ?)')
      .run(workshopId, text, sentAt);
    return { id: Number(info.lastInsertRowid), text, sentAt };
  }

  messages(workshopId: string): WorkshopMessageRow[] {
    return (
      this.db
        .prepare(
          'SELECT id, text, sent_at FROM workshop_messages WHERE workshop_id = ? ORDER BY id',
        )
        .all(workshopId) as { id: number; text: string; sent_at: number }[]
    ).map((r) => ({ id: r.id, text: r.text, sentAt: r.sent_at }));
  }

  private learnersWhere(where: string, ...args: unknown[]): WorkshopLearnerRow[] {
    const rows = this.db.prepare(`SELECT * FROM workshop_learners WHERE ${where}`).all(...args) as {
      learner_id: string;
      workshop_id: string;
      name: string;
      session_id: string;
      joined_at: number;
      rejoin_hash: string | null;
    }[];
    return rows.map((r) => ({
      learnerId: r.learner_id,
      workshopId: r.workshop_id,
      name: r.name,
      sessionId: r.session_id,
      joinedAt: r.joined_at,
      rejoinHash: r.rejoin_hash,
    }));
  }
}
