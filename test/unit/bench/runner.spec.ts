import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Benchmark } from '../../../sandbox-server/src/bench/benchmark.ts';
import { formatTable, runBenchmarks } from '../../../sandbox-server/src/bench/runner.ts';

const ctx = { cold: false, log: () => {}, projectRoot: '/' };

describe('the benchmark runner', () => {
  it('writes each result to <out>/<name>.json and keeps going after a failure', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'handson-bench-'));
    const fast: Benchmark = {
      name: 'fast',
      description: 'a quick one',
      run: async () => [{ metric: 'cached run', value: 1200, unit: 'ms', goal: 5000 }],
    };
    const broken: Benchmark = {
      name: 'broken',
      description: 'fails',
      run: async () => {
        throw new Error('engine not reachable');
      },
    };
    const results = await runBenchmarks([broken, fast], ctx, out);
    expect(results.map((r) => [r.name, r.error])).toEqual([
      ['broken', 'engine not reachable'],
      ['fast', undefined],
    ]);
    const written = JSON.parse(await readFile(path.join(out, 'fast.json'), 'utf8'));
    expect(written.measurements).toEqual([
      { metric: 'cached run', value: 1200, unit: 'ms', goal: 5000 },
    ]);
  });

  it('prints one table with each measurement against its goal', () => {
    const table = formatTable([
      {
        name: 'images',
        description: '',
        startedAt: '',
        measurements: [
          { metric: 'cached run', value: 1500, unit: 'ms', goal: 5000 },
          { metric: 'cold run', value: 700, unit: 's', goal: 600 },
          { metric: 'held', value: 150, unit: 'count', goal: 200, atLeast: true },
          { metric: 'flood', value: 20, unit: 'MB', goal: 9, atLeast: true },
        ],
      },
    ]);
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^benchmark\s+metric\s+value\s+goal$/);
    expect(lines[1]).toMatch(/^images\s+cached run\s+1500 ms\s+≤ 5000 ms ✔$/);
    expect(lines[2]).toMatch(/^images\s+cold run\s+700 s\s+≤ 600 s ✖$/);
    expect(lines[3]).toMatch(/^images\s+held\s+150 count\s+≥ 200 count ✖$/);
    expect(lines[4]).toMatch(/^images\s+flood\s+20 MB\s+≥ 9 MB ✔$/);
  });
});
