import { describe, expect, it } from 'vitest';
import type {
  ClassRecord,
  LearnerRecord,
} from '../../../../sandbox-server/src/bench/failover/failover-class.ts';
import {
  type FailoverRun,
  failoverReport,
  servedAgainMs,
} from '../../../../sandbox-server/src/bench/failover/failover-report.ts';

const learner = (name: string, over: Partial<LearnerRecord> = {}): LearnerRecord => ({
  name,
  reconnects: 0,
  reconnectMs: [],
  failedReconnectAttempts: 0,
  errors: [],
  errorsBefore: [],
  ...over,
});

function run(learners: LearnerRecord[]): FailoverRun {
  const phases = () => ({ warmup: [], before: [4, 6, 30], failover: [], after: [5, 9, 40] });
  const record: ClassRecord = {
    learners,
    echo: phases(),
    check: { warmup: [], before: [300], failover: [], after: [400] },
  };
  return {
    class: record,
    killedAt: 1000,
    onVictim: 1,
    notOnSurvivor: 0,
    cpuBefore: 30,
    cpuAfter: 25,
    loadBefore: 1.5,
    loadAfter: 1.2,
    measureS: 20,
  };
}

const row = (rows: ReturnType<typeof failoverReport>, metric: string) =>
  rows.find((r) => r.metric === metric);

describe('the failover report', () => {
  it('times each learner from the kill until they were served again', () => {
    const { class: record } = run([
      learner('a', { servedAgainAt: 1500 }),
      learner('b', { servedAgainAt: 3000, reconnects: 1 }),
      learner('c'),
    ]);
    expect(servedAgainMs(record, 1000)).toEqual([500, 2000, undefined]);
  });

  it('has every row, whatever happened, with goals on what issue 21 names', () => {
    const rows = failoverReport(run([learner('a', { servedAgainAt: 1500 })]));
    expect(rows.map((r) => r.metric)).toEqual([
      'served again after the kill p99',
      'learners never served again',
      'errors learners saw from the kill on (beyond reconnects)',
      'learners with more than one reconnect',
      'terminal reconnect (closed → prompt) p99',
      '2 replicas (before the kill): keystroke echo p99',
      '1 replica (the survivor, after): keystroke echo p99',
      '2 replicas (before the kill): Check p99',
      '1 replica (the survivor, after): Check p99',
      '2 replicas (before the kill): server CPU',
      '1 replica (the survivor, after): server CPU',
    ]);
    expect(row(rows, 'served again after the kill p99')).toMatchObject({ value: 500, goal: 3000 });
    expect(row(rows, 'learners never served again')?.goal).toBe(0);
    expect(row(rows, 'errors learners saw from the kill on (beyond reconnects)')?.goal).toBe(0);
    expect(row(rows, '2 replicas (before the kill): keystroke echo p99')?.value).toBe(30);
    expect(row(rows, '1 replica (the survivor, after): server CPU')).toMatchObject({
      value: 25,
      unit: '%',
    });
  });

  it('counts lost learners, errors and learners who reconnected more than once', () => {
    const rows = failoverReport(
      run([
        learner('a', { servedAgainAt: 1200, reconnects: 1 }),
        learner('b', { servedAgainAt: 1400, reconnects: 2, errors: ['check: answered 502'] }),
        learner('c', { lost: 'no prompt', reconnects: 0 }),
      ]),
    );
    expect(row(rows, 'learners never served again')?.value).toBe(1);
    expect(row(rows, 'errors learners saw from the kill on (beyond reconnects)')).toMatchObject({
      value: 1,
    });
    expect(row(rows, 'errors learners saw from the kill on (beyond reconnects)')?.note).toContain(
      'b: check: answered 502',
    );
    expect(row(rows, 'learners with more than one reconnect')?.value).toBe(1);
  });
});
