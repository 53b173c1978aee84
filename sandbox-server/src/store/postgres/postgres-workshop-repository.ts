import type pg from 'pg';
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
  lessons: string[];
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
  lessons: r.lessons,
  maxLearners: r.max_learners,
  lang: r.lang,
  createdAt: r.created_at,
  endsAt: r.ends_at,
  endedAt: r.ended_at,
});

/**
 * Workshops, their learners and broadcasts in Postgres: the same answers as the SQLite ones.
 *
 * @example
 * const workshops = new PostgresWorkshopRepository(pool);
 * await workshops.learners('w1');
 */
export class PostgresWorkshopRepository implements WorkshopRepository {
  constructor(private readonly pool: pg.Pool) {}

  async insert(w: WorkshopRow): Promise<void> {
    await this.pool.query(
      `INSERT INTO workshops (id, code, title, lessons, max_learners, lang, created_at, ends_at, ended_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9)`,
      [
        w.id,
        w.code,
        w.title,
        JSON.stringify(w.lessons),
        w.maxLearners,
        w.lang,
        w.createdAt,
        w.endsAt,
        w.endedAt,
      ],
    );
  }

  async get(id: string): Promise<WorkshopRow | undefined> {
    return this.one('SELECT * FROM workshops WHERE id = $1', id);
  }

  async byCode(code: string): Promise<WorkshopRow | undefined> {
    return this.one('SELECT * FROM workshops WHERE code = $1', code);
  }

  async list(): Promise<WorkshopRow[]> {
    const { rows } = await this.pool.query<DbWorkshop>(
      'SELECT * FROM workshops ORDER BY created_at DESC, id',
    );
    return rows.map(workshopFromDb);
  }

  async update(id: string, patch: Partial<Pick<WorkshopRow, 'endsAt' | 'endedAt'>>): Promise<void> {
    // One statement: both changes land together or not at all.
    await this.pool.query(
      `UPDATE workshops SET
         ends_at = CASE WHEN $2::boolean THEN $3::bigint ELSE ends_at END,
         ended_at = CASE WHEN $4::boolean THEN $5::bigint ELSE ended_at END
       WHERE id = $1`,
      [
        id,
        patch.endsAt !== undefined,
        patch.endsAt ?? null,
        patch.endedAt !== undefined,
        patch.endedAt ?? null,
      ],
    );
  }

  async endOnce(id: string, at: number): Promise<boolean> {
    // One conditional statement: of replicas racing to end the workshop, exactly one row count is 1.
    const { rowCount } = await this.pool.query(
      'UPDATE workshops SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL',
      [id, at],
    );
    return rowCount === 1;
  }

  async addLearner(l: WorkshopLearnerRow): Promise<void> {
    await this.pool.query(
      `INSERT INTO workshop_learners (learner_id, workshop_id, name, session_id, joined_at, rejoin_hash)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [l.learnerId, l.workshopId, l.name, l.sessionId, l.joinedAt, l.rejoinHash],
    );
  }

  async setRejoinHash(learnerId: string, hash: string): Promise<void> {
    await this.pool.query('UPDATE workshop_learners SET rejoin_hash = $2 WHERE learner_id = $1', [
      learnerId,
      hash,
    ]);
  }

  async setLearnerSession(learnerId: string, sessionId: string): Promise<void> {
    await this.pool.query('UPDATE workshop_learners SET session_id = $2 WHERE learner_id = $1', [
      learnerId,
      sessionId,
    ]);
  }

  async learners(workshopId: string): Promise<WorkshopLearnerRow[]> {
    return this.learnersWhere('workshop_id = $1 ORDER BY joined_at, learner_id', workshopId);
  }

  async learner(learnerId: string): Promise<WorkshopLearnerRow | undefined> {
    return (await this.learnersWhere('learner_id = $1', learnerId))[0];
  }

  async learnerByName(workshopId: string, name: string): Promise<WorkshopLearnerRow | undefined> {
    return (await this.learnersWhere('workshop_id = $1 AND name = $2', workshopId, name))[0];
  }

  async addMessage(workshopId: string, text: string, sentAt: number): Promise<WorkshopMessageRow> {
    const { rows } = await this.pool.query<{ id: number }>(
      'INSERT INTO workshop_messages (workshop_id, text, sent_at) VALUES ($1, $2, $3) RETURNING id',
      [workshopId, text, sentAt],
    );
    return { id: rows[0]!.id, text, sentAt };
  }

  async messages(workshopId: string): Promise<WorkshopMessageRow[]> {
    const { rows } = await this.pool.query<{ id: number; text: string; sent_at: number }>(
      'SELECT id, text, sent_at FROM workshop_messages WHERE workshop_id = $1 ORDER BY id',
      [workshopId],
    );
    return rows.map((r) => ({ id: r.id, text: r.text, sentAt: r.sent_at }));
  }

  private async one(sql: string, value: string): Promise<WorkshopRow | undefined> {
    const { rows } = await this.pool.query<DbWorkshop>(sql, [value]);
    return rows[0] && workshopFromDb(rows[0]);
  }

  private async learnersWhere(where: string, ...args: unknown[]): Promise<WorkshopLearnerRow[]> {
    const { rows } = await this.pool.query<LearnerDbRow>(
      `SELECT * FROM workshop_learners WHERE ${where}`,
      args,
    );
    return rows.map(learnerFromDb);
  }
}
