import { performance } from 'node:perf_hooks';
import { BENCH_LESSON, BENCH_STEP } from '../workshop/class-activity.ts';
import type { SimulatedLearner } from '../workshop/learner-client.ts';

/**
 * The workshop bench's class (a keystroke every ~1 s, Check every ~10), kept running through a
 * replica's death: a learner whose terminal closes reconnects at once with a fresh ticket and the
 * browser's backoff, as the page does. What each learner lived through is recorded per phase.
 */

export type Phase = 'warmup' | 'before' | 'failover' | 'after';

export interface LearnerRecord {
  name: string;
  /** Terminals that closed under the learner and were opened again. */
  reconnects: number;
  /** Each reconnect's time from the terminal closing until its prompt was back, ms. */
  reconnectMs: number[];
  /** Of the last successful reconnect: its ticket's ms, and the ms from the ticket to the prompt. */
  lastOpen?: { ticketMs: number; promptMs: number };
  /** Connection attempts that failed inside those reconnects (the page shows "reconnecting"). */
  failedReconnectAttempts: number;
  /**
   * What went wrong that a learner would see from the kill on, other than a reconnect: checks
   * that failed or no longer passed, keystrokes never echoed.
   */
  errors: string[];
  /** The same before the kill: what the class's load alone costs, not the failover. */
  errorsBefore: string[];
  /** When (performance.now()) the first echo or check answered after the kill. */
  servedAgainAt?: number;
  /** The learner gave up: a reconnect did not succeed within its time. */
  lost?: string;
}

export interface ClassRecord {
  learners: LearnerRecord[];
  echo: Record<Phase, number[]>;
  check: Record<Phase, number[]>;
}

export interface RunningClass {
  record: ClassRecord;
  /** Switch the phase the next latencies count in. */
  enter(phase: Phase): void;
  /** The replica was killed now: from here on, a learner's first success counts as served again. */
  killed(): number;
  /** Resolves when every learner has been served since the kill (or gave up). */
  allServedAgain(): Promise<void>;
  /** Stop every learner after their current action; resolves when all have stopped. */
  stop(): Promise<void>;
}

/** How long one reconnect may try before the learner counts as lost. */
const RECONNECT_TIMEOUT_MS = 60_000;
/** The browser's first reconnect delay (terminal-client.ts's backoff). */
const BROWSER_FIRST_BACKOFF_MS = 300;
const CHECK_EVERY = 10;

/**
 * Start the class: every learner (joined, terminal open) types and checks until `stop()`.
 *
 * @example
 * const cls = runClass(learners);
 * cls.enter('before'); await sleep(20_000);
 * cls.killed(); process.kill(pid, 'SIGKILL'); await cls.allServedAgain();
 * await cls.stop();
 */
export function runClass(learners: SimulatedLearner[]): RunningClass {
  const empty = (): Record<Phase, number[]> => ({
    warmup: [],
    before: [],
    failover: [],
    after: [],
  });
  const record: ClassRecord = {
    learners: learners.map((l) => ({
      name: l.name,
      reconnects: 0,
      reconnectMs: [],
      failedReconnectAttempts: 0,
      errors: [],
      errorsBefore: [],
    })),
    echo: empty(),
    check: empty(),
  };
  let phase: Phase = 'warmup';
  let killedAt: number | undefined;
  let stopping = false;
  const waitingForService = new Set<() => void>();
  /** Per learner, ends their pause between actions (a drop, the kill: act now). */
  const wakes: ((() => void) | undefined)[] = learners.map(() => undefined);
  const servedAll = () => record.learners.every((r) => r.servedAgainAt !== undefined || r.lost);
  const notify = () => {
    if (killedAt !== undefined && servedAll()) for (const wake of waitingForService) wake();
  };

  const loops = learners.map(async (learner, i) => {
    const rec = record.learners[i]!;
    // A drop wakes the learner from their pause: the page reconnects at once.
    let droppedAt = 0;
    learner.onDrop = () => {
      droppedAt = performance.now();
      wakes[i]?.();
    };
    // An answer that arrives after the kill was served by a live replica: the dead one answers
    // nothing once killed, so what was in flight to it fails instead.
    const served = () => {
      if (killedAt !== undefined && rec.servedAgainAt === undefined) {
        rec.servedAgainAt = performance.now();
        notify();
      }
    };
    const failed = (message: string) =>
      (killedAt === undefined ? rec.errorsBefore : rec.errors).push(message);
    await new Promise((r) => setTimeout(r, (i * 37) % 1000));
    for (let n = 0; !stopping && !rec.lost; n++) {
      if (!learner.terminalOpen) {
        const failuresBefore = learner.startFailures.length;
        try {
          await learner.connect(RECONNECT_TIMEOUT_MS, BROWSER_FIRST_BACKOFF_MS);
          rec.reconnects++;
          rec.reconnectMs.push(performance.now() - droppedAt);
          rec.lastOpen = learner.lastOpen;
        } catch (error) {
          rec.lost = (error as Error).message;
          notify();
        }
        rec.failedReconnectAttempts += learner.startFailures.length - failuresBefore;
        continue;
      }
      const at = phase;
      try {
        record.echo[at].push(await learner.echoMs(n));
        served();
      } catch (error) {
        // A keystroke the closing terminal swallowed is part of the reconnect that comes next
        // (before any Check: a learner is served again when their terminal is).
        if (!learner.terminalOpen) continue;
        failed(`echo: ${(error as Error).message}`);
      }
      if (n % CHECK_EVERY === i % CHECK_EVERY) {
        try {
          const answer = await learner.check(BENCH_LESSON, BENCH_STEP);
          if (answer.ok) {
            record.check[at].push(answer.ms);
            // Every learner did the step before: a check that no longer passes lost their sandbox.
            if (!answer.passed) failed('check: did not pass (the sandbox lost its work?)');
            served();
          } else failed(`check: answered ${answer.status}`);
        } catch (error) {
          const cause = (error as Error & { cause?: Error }).cause?.message;
          failed(`check: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
        }
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 800 + ((i * 131 + n * 17) % 400));
        wakes[i] = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakes[i] = undefined;
    }
    learner.onDrop = undefined;
  });

  return {
    record,
    enter: (next) => {
      phase = next;
    },
    killed: () => {
      killedAt = performance.now();
      // Everyone acts at once, so the time measured is the service's, not the learner's pause.
      for (const wake of wakes) wake?.();
      return killedAt;
    },
    allServedAgain: () =>
      servedAll()
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const done = () => {
              waitingForService.delete(done);
              resolve();
            };
            waitingForService.add(done);
          }),
    stop: async () => {
      stopping = true;
      await Promise.all(loops);
    },
  };
}
