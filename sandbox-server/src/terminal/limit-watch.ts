import type { Lang } from '#contracts/lang.ts';
import type { LimitCounters, Sandbox } from '../sandbox/driver.ts';
import { type LimitKind, limitsHit } from './limit-events.ts';
import { limitNotice } from './limit-notice-text.ts';

/** A session with open terminals, as the watch sees it. */
export interface WatchedSession {
  lang: Lang;
  /** The sandbox its terminals run in. */
  sandbox: Sandbox;
  /** Show `text` (terminal bytes) in each of its terminals. */
  notify(text: string): void;
}

/** How often the counters are read. */
const INTERVAL_MS = 3000;
/** The same limit is told at most this often (a fork bomb hits its process limit for minutes). */
const REPEAT_MS: Record<LimitKind, number> = {
  memory: 30_000,
  pids: 60_000,
  disk: 60_000,
  cpu: 10 * 60_000,
};

interface Watched {
  last: LimitCounters;
  toldAt: Partial<Record<LimitKind, number>>;
}

/**
 * Tells learners, in their terminals and their language, when their sandbox hit a limit: every
 * few seconds each watched sandbox's counters are read and compared with the last reading.
 * Only sandboxes with a terminal open are read, one after another, so a class costs a few
 * small file reads per learner every few seconds.
 *
 * @example
 * const watch = new LimitWatch(() => sessionsWithTerminals());
 * watch.start();
 */
export class LimitWatch {
  private readonly watched = new Map<string, Watched>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly sessions: () => WatchedSession[],
    private readonly now: () => number = Date.now,
    private readonly intervalMs = INTERVAL_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round: read, compare, tell. A round still running when the next is due skips it. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const seen = new Set<string>();
      for (const session of this.sessions()) {
        seen.add(session.sandbox.id);
        await this.check(session).catch(() => undefined);
      }
      for (const id of this.watched.keys()) if (!seen.has(id)) this.watched.delete(id);
    } finally {
      this.running = false;
    }
  }

  private async check(session: WatchedSession): Promise<void> {
    const next = await session.sandbox.limitCounters?.();
    if (!next) return;
    const entry = this.watched.get(session.sandbox.id);
    // The first reading is the baseline: hits from before anyone watched are not news.
    if (!entry) {
      this.watched.set(session.sandbox.id, { last: next, toldAt: {} });
      return;
    }
    const now = this.now();
    for (const kind of limitsHit(entry.last, next)) {
      const told = entry.toldAt[kind];
      if (told !== undefined && now - told < REPEAT_MS[kind]) continue;
      entry.toldAt[kind] = now;
      session.notify(limitNotice(kind, session.lang, next));
    }
    entry.last = next;
  }
}
