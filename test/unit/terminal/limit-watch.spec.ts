import { describe, expect, it } from 'vitest';
import { LANGS } from '#contracts/lang.ts';
import type { LimitCounters, Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import { limitsHit } from '../../../sandbox-server/src/terminal/limit-events.ts';
import { limitNotice } from '../../../sandbox-server/src/terminal/limit-notice-text.ts';
import { LimitWatch } from '../../../sandbox-server/src/terminal/limit-watch.ts';

const GiB = 1024 ** 3;
const quiet: LimitCounters = {
  oomKills: 0,
  memoryLimitBytes: GiB,
  pidsMaxHits: 0,
  pidsMax: 1024,
  cpuPeriods: 1000,
  cpuThrottled: 0,
  cpus: 1,
  diskFreeBytes: 3 * GiB,
  diskSizeBytes: 4 * GiB,
};

describe('limits hit between two readings', () => {
  it('finds none while nothing changed', () => {
    expect(limitsHit(quiet, { ...quiet, cpuPeriods: 1100 })).toEqual([]);
  });

  it('counts an OOM kill and a refused fork', () => {
    expect(limitsHit(quiet, { ...quiet, oomKills: 1, pidsMaxHits: 7 })).toEqual(['memory', 'pids']);
  });

  it('tells a full disk once, as it fills, and again only after it had room', () => {
    const full = { ...quiet, diskFreeBytes: 1024 ** 2 };
    expect(limitsHit(quiet, full)).toEqual(['disk']);
    expect(limitsHit(full, { ...full, diskFreeBytes: 0 })).toEqual([]);
  });

  it('calls the CPU busy when it was throttled in most periods, not in a few', () => {
    expect(limitsHit(quiet, { ...quiet, cpuPeriods: 1030, cpuThrottled: 25 })).toEqual(['cpu']);
    expect(limitsHit(quiet, { ...quiet, cpuPeriods: 1030, cpuThrottled: 5 })).toEqual([]);
    // Too few periods to tell.
    expect(limitsHit(quiet, { ...quiet, cpuPeriods: 1005, cpuThrottled: 5 })).toEqual([]);
  });
});

describe('limit notices', () => {
  it('say what happened in every language, on a line of their own', () => {
    for (const lang of LANGS) {
      for (const kind of ['memory', 'pids', 'disk', 'cpu'] as const) {
        const line = limitNotice(kind, lang, quiet);
        expect(line.startsWith('\r\n\x1b[1;33m[handson] ')).toBe(true);
        expect(line.endsWith('\x1b[0m\r\n')).toBe(true);
        expect(line.slice(2, -2)).not.toMatch(/[\r\n]/);
      }
    }
    expect(limitNotice('memory', 'en', quiet)).toContain('memory limit (1 GiB)');
    expect(limitNotice('pids', 'ja', quiet)).toContain('プロセス数が上限 (1024)');
    expect(limitNotice('disk', 'en', quiet)).toContain('disk (4 GiB) is full');
    expect(limitNotice('memory', 'zh', quiet)).toContain('内存上限 (1 GiB)');
  });
});

function fakeSandbox(readings: LimitCounters[]): Sandbox {
  let i = 0;
  return {
    id: 'sbx',
    limitCounters: async () => readings[Math.min(i++, readings.length - 1)],
  } as unknown as Sandbox;
}

describe('the limit watch', () => {
  it('takes the first reading as the baseline, then tells each new hit once in the learner language', async () => {
    const told: string[] = [];
    let now = 0;
    const sandbox = fakeSandbox([
      { ...quiet, oomKills: 3 },
      { ...quiet, oomKills: 3 },
      { ...quiet, oomKills: 4 },
      { ...quiet, oomKills: 5 },
    ]);
    const watch = new LimitWatch(
      () => [{ lang: 'ja', sandbox, notify: (t) => told.push(t) }],
      () => now,
    );
    await watch.tick();
    await watch.tick();
    expect(told).toEqual([]);
    await watch.tick();
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('メモリの上限');
    // Another kill within the repeat interval is not told again…
    now += 1000;
    await watch.tick();
    expect(told).toHaveLength(1);
  });

  it('tells it again once the repeat interval has passed', async () => {
    const told: string[] = [];
    let now = 0;
    const sandbox = fakeSandbox([
      quiet,
      { ...quiet, pidsMaxHits: 1 },
      { ...quiet, pidsMaxHits: 2 },
    ]);
    const watch = new LimitWatch(
      () => [{ lang: 'en', sandbox, notify: (t) => told.push(t) }],
      () => now,
    );
    await watch.tick();
    await watch.tick();
    now += 61_000;
    await watch.tick();
    expect(told).toHaveLength(2);
    expect(told[1]).toContain('limit of 1024 processes');
  });

  it('reads nothing of a sandbox without counters and keeps going', async () => {
    const told: string[] = [];
    const broken = {
      id: 'b',
      limitCounters: async () => {
        throw new Error('gone');
      },
    } as unknown as Sandbox;
    const sandbox = fakeSandbox([quiet, { ...quiet, oomKills: 1 }]);
    const watch = new LimitWatch(() => [
      { lang: 'en', sandbox: broken, notify: (t) => told.push(t) },
      { lang: 'en', sandbox, notify: (t) => told.push(t) },
    ]);
    await watch.tick();
    await watch.tick();
    expect(told).toHaveLength(1);
  });
});
