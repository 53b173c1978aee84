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

/** A `workshop_learners` row as both databases return it. */
export interface LearnerDbRow {
  learner_id: string;
  workshop_id: string;
  name: string;
  session_id: string;
  joined_at: number;
  rejoin_hash: string | null;
}

/** A `workshop_learners` row as the repositories hand it out. */
export const learnerFromDb = (r: LearnerDbRow): WorkshopLearnerRow => ({
  learnerId: r.learner_id,
  workshopId: r.workshop_id,
  name: r.name,
  sessionId: r.session_id,
  joinedAt: r.joined_at,
  rejoinHash: r.rejoin_hash,
});

/**
 * Workshops, their learners and the instructor's broadcast messages.
 *
 * @example
 * await workshops.insert(row);
 * await workshops.byCode('K7QX2M');
 */
export interface WorkshopRepository {
  insert(w: WorkshopRow): Promise<void>;
  get(id: string): Promise<WorkshopRow | undefined>;
  byCode(code: string): Promise<WorkshopRow | undefined>;
  /** Every workshop, newest first. */
  list(): Promise<WorkshopRow[]>;
  update(id: string, patch: Partial<Pick<WorkshopRow, 'endsAt' | 'endedAt'>>): Promise<void>;
  /**
   * Mark the workshop ended at `at` unless it already is. True for the one call that ended it:
   * replicas whose end timers fire together agree on a single end (one `ended` event).
   */
  endOnce(id: string, at: number): Promise<boolean>;
  addLearner(l: WorkshopLearnerRow): Promise<void>;
  /** Replace the hash of the learner's re-join secret. */
  setRejoinHash(learnerId: string, hash: string): Promise<void>;
  /** Point a learner at a new session (they re-joined after theirs was lost). */
  setLearnerSession(learnerId: string, sessionId: string): Promise<void>;
  /** A workshop's learners, in the order they joined. */
  learners(workshopId: string): Promise<WorkshopLearnerRow[]>;
  learner(learnerId: string): Promise<WorkshopLearnerRow | undefined>;
  learnerByName(workshopId: string, name: string): Promise<WorkshopLearnerRow | undefined>;
  /** Store a broadcast; its id orders the workshop's messages. */
  addMessage(workshopId: string, text: string, sentAt: number): Promise<WorkshopMessageRow>;
  /** A workshop's messages, oldest first. */
  messages(workshopId: string): Promise<WorkshopMessageRow[]>;
}
