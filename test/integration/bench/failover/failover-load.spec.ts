import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failoverLoad } from '../../../../sandbox-server/src/bench/failover/failover-load.ts';

const projectRoot = path.resolve(import.meta.dirname, '../../../..');
const benchClusters = () =>
  fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('handson-bench-cluster-'));

// The failover bench end to end with a tiny class: its own cluster, four learners through
// HAProxy, one replica killed. Proves the bench reports every row and loses no learner; the
// numbers themselves are the bench's business, not this spec's.
describe('the failover bench', () => {
  it('puts a class through a replica kill and reports every row, with no learner lost', async () => {
    const clustersBefore = benchClusters();
    const lines: string[] = [];
    const rows = await failoverLoad(
      { cold: false, projectRoot, log: (line) => lines.push(line) },
      { learners: 4, measureMs: 3_000, arrivalMs: 2_000 },
    );
    const value = (metric: string) => rows.find((r) => r.metric === metric)?.value;
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
    expect(value('learners never served again')).toBe(0);
    expect(rows[1]?.note).toContain('0 sessions not owned by the survivor');
    expect(Number.isFinite(value('served again after the kill p99'))).toBe(true);
    expect(lines.some((line) => line.includes('SIGKILL'))).toBe(true);
    // `cluster down` ran and took its directory with it.
    expect(benchClusters()).toEqual(clustersBefore);
  }, 600_000);
});
