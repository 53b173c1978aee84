import type { Measurement } from '../benchmark.ts';
import { percentile, round } from '../stats.ts';
import type { ClassRecord } from './failover-class.ts';

/** What one failover run found, turned into the bench's rows by `failoverReport`. */
export interface FailoverRun {
  class: ClassRecord;
  /** performance.now() of the SIGKILL. */
  killedAt: number;
  /** Learners whose session the killed replica owned. */
  onVictim: number;
  /** Sessions not owned by the survivor once it was over (the survivor must hold them all). */
  notOnSurvivor: number;
  /** The replicas' CPU (sum over their processes), % of one core: two before, the survivor after. */
  cpuBefore: number;
  cpuAfter: number;
  /** The host's 1-minute load average in each measured window. */
  loadBefore: number;
  loadAfter: number;
  measureS: number;
}

/** Keystroke echo stays under this (the workshop bench's goal). */
const ECHO_GOAL_MS = 50;
/** Every learner is served again this soon after a replica dies (issue 21). */
const SERVED_AGAIN_GOAL_MS = 3000;

/**
 * Per learner, ms from the kill until they were served again; `undefined` for a learner never
 * served again (lost, or the run ended first).
 *
 * @example
 * servedAgainMs({ learners: [{ servedAgainAt: 1500, … }] } as ClassRecord, 1000) // [500]
 */
export function servedAgainMs(record: ClassRecord, killedAt: number): (number | undefined)[] {
  return record.learners.map((l) =>
    l.servedAgainAt === undefined ? undefined : l.servedAgainAt - killedAt,
  );
}

/**
 * The bench's rows: time until every learner is served again, what learners saw (reconnects,
 * errors, lost learners), echo and Check p99 before and after, and 2 replicas vs 1 for echo and
 * CPU. Always the same rows, whatever happened (a missing number is NaN), so runs compare.
 *
 * @example
 * const rows = failoverReport(run);
 * rows.find((r) => r.metric === 'served again after the kill p99')?.value // 1840
 */
export function failoverReport(run: FailoverRun): Measurement[] {
  const { learners } = run.class;
  const total = learners.length;
  const served = servedAgainMs(run.class, run.killedAt);
  const times = served.filter((ms): ms is number => ms !== undefined);
  const neverServed = served.length - times.length;
  const reconnects = learners.map((l) => l.reconnects);
  const moreThanOne = reconnects.filter((n) => n > 1).length;
  const errors = learners.reduce((n, l) => n + l.errors.length, 0);
  const errorsBefore = learners.reduce((n, l) => n + l.errorsBefore.length, 0);
  const failedAttempts = learners.reduce((n, l) => n + l.failedReconnectAttempts, 0);
  const reconnectMs = learners.flatMap((l) => l.reconnectMs);
  const opens = learners.flatMap((l) => (l.lastOpen ? [l.lastOpen] : []));
  const ticketP50 = round(
    percentile(
      opens.map((o) => o.ticketMs),
      0.5,
    ),
  );
  const promptP50 = round(
    percentile(
      opens.map((o) => o.promptMs),
      0.5,
    ),
  );
  const firstErrors = learners.flatMap((l) => l.errors.map((e) => `${l.name}: ${e}`)).slice(0, 3);
  const echo = (phase: 'before' | 'after') => ({
    p50: round(percentile(run.class.echo[phase], 0.5), 1),
    p99: round(percentile(run.class.echo[phase], 0.99), 1),
    n: run.class.echo[phase].length,
  });
  const check = (phase: 'before' | 'after') => ({
    p50: round(percentile(run.class.check[phase], 0.5), 1),
    p99: round(percentile(run.class.check[phase], 0.99), 1),
    n: run.class.check[phase].length,
  });
  const before = echo('before');
  const after = echo('after');
  const checkBefore = check('before');
  const checkAfter = check('after');
  return [
    {
      metric: 'served again after the kill p99',
      value: round(percentile(times, 0.99)),
      unit: 'ms',
      goal: SERVED_AGAIN_GOAL_MS,
      note: `per learner, kill → their first keystroke echoed or Check answered after it (each acts at the kill); p50 ${round(percentile(times, 0.5))} ms, max ${times.length > 0 ? round(Math.max(...times)) : Number.NaN} ms; ${run.onVictim} of ${total} learners were on the killed replica`,
    },
    {
      metric: 'learners never served again',
      value: neverServed,
      unit: 'count',
      goal: 0,
      note: `${run.notOnSurvivor} sessions not owned by the survivor afterwards`,
    },
    {
      metric: 'errors learners saw from the kill on (beyond reconnects)',
      value: errors,
      unit: 'count',
      goal: 0,
      note: `checks that failed or no longer passed, keystrokes never echoed${firstErrors.length > 0 ? `; first: ${firstErrors.join(' | ')}` : ''}; ${errorsBefore} before the kill`,
    },
    {
      metric: 'learners with more than one reconnect',
      value: moreThanOne,
      unit: 'count',
      goal: 0,
      note: `${reconnects.reduce((a, b) => a + b, 0)} terminal reconnects in all (max ${Math.max(0, ...reconnects)} per learner); ${failedAttempts} attempts inside them failed and were retried`,
    },
    {
      metric: 'terminal reconnect (closed → prompt) p99',
      value: round(percentile(reconnectMs, 0.99)),
      unit: 'ms',
      note: `p50 ${round(percentile(reconnectMs, 0.5))} ms over ${reconnectMs.length} reconnects, the browser's backoff (300 ms, doubling) included; of the last attempt, p50: ticket ${ticketP50} ms, then prompt ${promptP50} ms`,
    },
    {
      metric: '2 replicas (before the kill): keystroke echo p99',
      value: before.p99,
      unit: 'ms',
      goal: ECHO_GOAL_MS,
      note: `p50 ${before.p50} ms, ${before.n} keystrokes in ${run.measureS} s; load ${run.loadBefore}`,
    },
    {
      metric: '1 replica (the survivor, after): keystroke echo p99',
      value: after.p99,
      unit: 'ms',
      goal: ECHO_GOAL_MS,
      note: `p50 ${after.p50} ms, ${after.n} keystrokes in ${run.measureS} s; load ${run.loadAfter}`,
    },
    {
      metric: '2 replicas (before the kill): Check p99',
      value: checkBefore.p99,
      unit: 'ms',
      note: `p50 ${checkBefore.p50} ms, ${checkBefore.n} checks`,
    },
    {
      metric: '1 replica (the survivor, after): Check p99',
      value: checkAfter.p99,
      unit: 'ms',
      note: `p50 ${checkAfter.p50} ms, ${checkAfter.n} checks`,
    },
    {
      metric: '2 replicas (before the kill): server CPU',
      value: run.cpuBefore,
      unit: '%',
      note: 'of one core, both replicas summed (/proc/<pid>/stat); the machine has 2 cores',
    },
    {
      metric: '1 replica (the survivor, after): server CPU',
      value: run.cpuAfter,
      unit: '%',
      note: 'of one core, the same class on one replica',
    },
  ];
}
