import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { SessionState } from '#contracts/http-api.ts';
import { langOr } from '#contracts/lang.ts';
import type {
  CreateWorkshopBody,
  DashboardSnapshot,
  JoinResponse,
  JoinWorkshopBody,
  WorkshopView,
} from '#contracts/workshop.ts';
import { DomainError } from '../http/domain-error.ts';
import type { LessonCatalog } from '../lessons/catalog.ts';
import type { ProgressRecorder } from '../progress/progress-recorder.ts';
import type { LiveSession } from '../sessions/session.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import type {
  WorkshopLearnerRow,
  WorkshopRepository,
  WorkshopRow,
} from '../store/workshop-repository.ts';
import type { ChangeRelay } from './change-relay.ts';
import { newJoinCode } from './join-code.ts';
import { type JoinDeps, joinWorkshop } from './joins.ts';
import { dashboardSnapshot } from './snapshot.ts';

export interface WorkshopServiceOptions {
  repo: WorkshopRepository;
  manager: SessionManager;
  progress: ProgressRecorder;
  catalog: LessonCatalog;
  /** The most sandboxes this server holds (sessions' capacity). */
  capacity: number;
  /** Booted sandboxes to keep ready for seats not taken yet (the warm pool's size). */
  reserveSeats?: (seats: number) => void;
  /** The other replicas of a cluster: changes made here reach their streams, and theirs ours. */
  relay?: ChangeRelay;
  /** A session another replica holds: its state as the database has it (cluster replicas). */
  storedState?: (sessionId: string) => Promise<SessionState | undefined>;
  now?: () => number;
}

/**
 * What changed, for live views (a workshop's dashboard or its learners' message stream) and for
 * the other replicas of a cluster (`created`: arm its end timer too).
 */
export type WorkshopChange =
  | { type: 'created'; workshopId: string }
  | { type: 'learners'; workshopId: string }
  | { type: 'message'; workshopId: string; id: number; text: string; sentAt: number }
  | { type: 'ended'; workshopId: string };

const iso = (ms: number) => new Date(ms).toISOString();

/** setTimeout's longest delay (~24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Workshops: create, join, the instructor's view and actions, end. Learners get ordinary
 * sessions (their sandboxes come from the same warm pool and manager), tied to the workshop so
 * they last as long as it does; everything is in the store, so a restart loses nothing.
 *
 * @example
 * const workshops = new WorkshopService({ repo, manager, progress, catalog, capacity: 100 });
 * await workshops.start();
 * const w = await workshops.create({ lessons: ['first-containers'], durationMinutes: 90, maxLearners: 30 });
 * const joined = await workshops.join({ code: w.code, name: 'Aki' });
 */
export class WorkshopService {
  private readonly changes = new EventEmitter();
  private readonly now: () => number;
  /** One timer per running workshop: at `endsAt` it ends like the instructor's End would. */
  private readonly endTimers = new Map<string, NodeJS.Timeout>();
  /** Joins one at a time: the seat count and the name check hold until the learner is added. */
  private joining: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: WorkshopServiceOptions) {
    this.now = opts.now ?? Date.now;
    this.changes.setMaxListeners(0);
    // A learner's Check moves the dashboard of their workshop.
    opts.progress.onAttempt((event) => {
      opts.repo
        .learner(event.learnerId)
        .then((learner) => {
          if (learner) this.emit({ type: 'learners', workshopId: learner.workshopId });
        })
        .catch(() => undefined); // a dashboard misses one refresh; the next tick sends it
    });
    opts.relay?.onMessage((change) => {
      this.changes.emit('change', change);
      if (change.type === 'ended')
        void this.endedElsewhere(change.workshopId).catch(() => undefined);
      // Every replica arms every workshop's end: it ends on time whichever replicas are alive.
      if (change.type === 'created') void this.arm(change.workshopId).catch(() => undefined);
    });
  }

  /** Arm the end of the workshop `id` as the store has it (another replica created it). */
  private async arm(id: string): Promise<void> {
    const w = await this.opts.repo.get(id);
    if (w && w.endedAt === null) this.endAt(w);
  }

  /** Another replica ended a workshop: its learners' sessions held here end too. */
  private async endedElsewhere(workshopId: string): Promise<void> {
    clearTimeout(this.endTimers.get(workshopId));
    this.endTimers.delete(workshopId);
    for (const learner of await this.opts.repo.learners(workshopId)) {
      const session = this.opts.manager.find(learner.sessionId);
      if (session) await this.opts.manager.delete(session);
    }
    await this.reserve();
  }

  /**
   * Reserve sandboxes for open seats and arm the end of every running workshop (after a
   * restart too: a workshop that ran out meanwhile ends at once).
   */
  async start(): Promise<void> {
    await this.reserve();
    for (const w of await this.opts.repo.list()) if (w.endedAt === null) this.endAt(w);
  }

  /** Stop the end timers (the server is shutting down; a restart arms them again). */
  private get joinDeps(): JoinDeps {
    return {
      repo: this.opts.repo,
      manager: this.opts.manager,
      now: this.now,
      running: (w) => this.running(w),
      seatsChanged: async (workshopId) => {
        await this.reserve();
        this.emit({ type: 'learners', workshopId });
      },
    };
  }

  close(): void {
    for (const timer of this.endTimers.values()) clearTimeout(timer);
    this.endTimers.clear();
  }

  /**
   * End `w` when its time is up, so its learners hear `ended` and its sandboxes go. In a cluster
   * every replica's timer fires; the store lets one of them end it (`endOnce`).
   */
  private endAt(w: WorkshopRow): void {
    clearTimeout(this.endTimers.get(w.id));
    // setTimeout takes at most ~24.8 days; a longer workshop re-arms when that fires.
    const delay = Math.min(Math.max(0, w.endsAt - this.now()), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      this.endTimers.delete(w.id);
      void (async () => {
        const current = await this.opts.repo.get(w.id);
        if (!current || current.endedAt !== null) return;
        if (this.now() < current.endsAt) this.endAt(current);
        else await this.end(w.id);
      })().catch(() => undefined);
    }, delay);
    timer.unref();
    this.endTimers.set(w.id, timer);
  }

  onChange(listener: (change: WorkshopChange) => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  running(w: WorkshopRow): boolean {
    return w.endedAt === null && this.now() < w.endsAt;
  }

  async create(body: CreateWorkshopBody): Promise<WorkshopView> {
    const lessons: string[] = [];
    for (const ref of body.lessons) {
      const lesson = await this.opts.catalog.lesson(ref);
      if (!lesson) {
        throw new DomainError(
          'invalid',
          'unknown_lesson',
          `field "lessons": there is no lesson "${ref}".`,
        );
      }
      lessons.push(lesson.id);
    }
    const promised = await this.openSeats();
    const inUse = this.opts.manager.activeCount();
    const free = this.opts.capacity - inUse - promised;
    if (body.maxLearners > free) {
      throw new DomainError(
        'conflict',
        'over_capacity',
        `This server holds ${this.opts.capacity} sandboxes; ${inUse} are in use and ${promised} more are promised to running workshops, so at most ${Math.max(0, free)} learners fit. Lower maxLearners, or end another workshop.`,
      );
    }
    const now = this.now();
    const row: WorkshopRow = {
      id: randomBytes(6).toString('hex'),
      code: await newJoinCode(async (code) => (await this.opts.repo.byCode(code)) !== undefined),
      title: body.title ?? lessons.join(', '),
      lessons,
      maxLearners: body.maxLearners,
      lang: body.lang ?? 'en',
      createdAt: now,
      endsAt: now + body.durationMinutes * 60_000,
      endedAt: null,
    };
    await this.opts.repo.insert(row);
    await this.reserve();
    this.endAt(row);
    this.emit({ type: 'created', workshopId: row.id });
    return this.view(row);
  }

  async list(): Promise<WorkshopView[]> {
    return Promise.all((await this.opts.repo.list()).map((w) => this.view(w)));
  }

  async get(id: string): Promise<WorkshopRow> {
    const w = await this.opts.repo.get(id);
    if (!w)
      throw new DomainError('not_found', 'workshop_not_found', `There is no workshop "${id}".`);
    return w;
  }

  async view(w: WorkshopRow): Promise<WorkshopView> {
    const lang = langOr(w.lang);
    const learners = (await this.opts.repo.learners(w.id)).length;
    return {
      id: w.id,
      code: w.code,
      title: w.title,
      lessons: w.lessons,
      maxLearners: w.maxLearners,
      lang,
      createdAt: iso(w.createdAt),
      endsAt: iso(w.endsAt),
      endedAt: w.endedAt === null ? (this.running(w) ? null : iso(w.endsAt)) : iso(w.endedAt),
      state: this.running(w) ? 'running' : 'ended',
      learners,
      joinPath: `/${lang}/join/?code=${w.code}`,
      dashboardPath: `/${lang}/workshop/?id=${w.id}`,
    };
  }

  /**
   * A learner joins with the code and a display name and gets a session; `learner` (the id an
   * earlier join returned) re-joins as the same person, with the same sandbox.
   */
  join(body: JoinWorkshopBody): Promise<JoinResponse> {
    const joined = this.joining.then(() => joinWorkshop(body, this.joinDeps));
    this.joining = joined.catch(() => undefined);
    return joined;
  }

  /** The learner `learnerId` of the workshop, or `learner_not_found`. */
  async learner(workshopId: string, learnerId: string): Promise<WorkshopLearnerRow> {
    const learner = await this.opts.repo.learner(learnerId);
    if (!learner || learner.workshopId !== workshopId) {
      throw new DomainError(
        'not_found',
        'learner_not_found',
        `No learner "${learnerId}" in this workshop.`,
      );
    }
    return learner;
  }

  /** The learner's session held here, for the instructor's actions on it. */
  async learnerSession(workshopId: string, learnerId: string): Promise<LiveSession> {
    const learner = await this.learner(workshopId, learnerId);
    const session = this.opts.manager.find(learner.sessionId);
    if (!session) {
      throw new DomainError(
        'gone',
        'session_gone',
        `${learner.name}'s session has ended. They can join again with the code.`,
      );
    }
    return session;
  }

  /** A later end for one learner's session. */
  async extendLearner(
    workshopId: string,
    learnerId: string,
    minutes: number,
  ): Promise<{ expiresAt: string }> {
    const s = await this.learnerSession(workshopId, learnerId);
    const view = await this.opts.manager.extendTo(
      s,
      Math.max(s.row.expiresAt, this.now()) + minutes * 60_000,
    );
    this.emit({ type: 'learners', workshopId });
    return { expiresAt: view.expiresAt };
  }

  async broadcast(
    workshopId: string,
    text: string,
  ): Promise<{ id: number; text: string; sentAt: string }> {
    const w = await this.get(workshopId);
    if (!this.running(w))
      throw new DomainError('gone', 'workshop_ended', 'The workshop has ended.');
    const message = await this.opts.repo.addMessage(workshopId, text, this.now());
    this.emit({ type: 'message', workshopId, ...message });
    return { id: message.id, text, sentAt: iso(message.sentAt) };
  }

  /**
   * End the workshop now: every learner's session ends and its sandbox is removed. Only the call
   * that marks it ended in the store announces `ended` (once, however many replicas end it).
   */
  async end(workshopId: string): Promise<WorkshopView> {
    let w = await this.get(workshopId);
    clearTimeout(this.endTimers.get(workshopId));
    this.endTimers.delete(workshopId);
    const endedHere = w.endedAt === null && (await this.opts.repo.endOnce(workshopId, this.now()));
    w = await this.get(workshopId);
    for (const learner of await this.opts.repo.learners(workshopId)) {
      const session = this.opts.manager.find(learner.sessionId);
      if (session) await this.opts.manager.delete(session);
    }
    await this.reserve();
    if (endedHere) this.emit({ type: 'ended', workshopId });
    return this.view(w);
  }

  /** The instructor's grid: learners × steps, stuck learners first. */
  async snapshot(workshopId: string): Promise<DashboardSnapshot> {
    const w = await this.get(workshopId);
    return dashboardSnapshot(await this.view(w), {
      repo: this.opts.repo,
      catalog: this.opts.catalog,
      progress: this.opts.progress,
      sessionState: async (id) =>
        this.opts.manager.find(id)?.state ?? (await this.opts.storedState?.(id)) ?? 'gone',
      now: this.now(),
    });
  }

  /** The workshop a session belongs to, for the learner's event stream. */
  async workshopOf(session: LiveSession): Promise<WorkshopRow | undefined> {
    const id = session.row.workshopId;
    return id ? this.opts.repo.get(id) : undefined;
  }

  messages(workshopId: string) {
    return this.opts.repo.messages(workshopId);
  }

  /** Seats promised to running workshops and not taken yet. */
  async openSeats(): Promise<number> {
    let seats = 0;
    for (const w of await this.opts.repo.list()) {
      if (!this.running(w)) continue;
      seats += Math.max(0, w.maxLearners - (await this.opts.repo.learners(w.id)).length);
    }
    return seats;
  }

  /** Keep a booted sandbox ready for every open seat (within capacity). */
  private async reserve(): Promise<void> {
    const open = await this.openSeats();
    const free = Math.max(0, this.opts.capacity - this.opts.manager.activeCount());
    this.opts.reserveSeats?.(Math.min(open, free));
  }

  private emit(change: WorkshopChange): void {
    this.changes.emit('change', change);
    // A stream on another replica misses this one change at worst; its next refresh has it.
    this.opts.relay?.publish(change).catch(() => undefined);
  }
}
