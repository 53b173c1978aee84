import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../config.ts';
import type { WorkshopView } from '../../contracts/workshop.ts';
import { adminToken } from '../../workshops/admin-token.ts';
import type { BenchContext, Measurement } from '../benchmark.ts';
import { eventLoopDelay, percentile } from '../stats.ts';
import { SimulatedLearner } from './learner-client.ts';
import { ServerChild } from './server-child.ts';

/**
 * Issue 9's load test: a workshop on a real server (a process of its own), filled with simulated learners
 * in plateaus (each: join, open the terminal, run `docker version`); at every plateau all
 * learners type and press Check for a while and the latencies, memory and load are recorded.
 * It stops growing when keystroke echo p99 passes 50 ms, errors appear, or the class is full.
 * Loopback only; every sandbox is removed at the end, also after a failure or Ctrl-C.
 */

const LESSON = 'the-engine';
const STEP = 'version';
const ECHO_GOAL_MS = 50;

interface Plateau {
  learners: number;
  echoP50: number;
  echoP99: number;
  checkP50: number;
  checkP99: number;
  serverRssMb: number;
  /** The server's event-loop delay while measuring: p99 and worst. */
  serverLoopP99Ms: number;
  serverLoopMaxMs: number;
  /** The simulated class's own event-loop delay p99 (its share of every echo). */
  benchLoopP99Ms: number;
  /** Share of the host's CPU time busy while measuring, in %. */
  hostCpuBusy: number;
  hostUsedMb: number;
  engineMb: number;
  load1: number;
  errors: number;
}

function settings(): { learners: number; step: number; measureMs: number; capMs: number } {
  const env = process.env;
  const learners = Number(env.HANDSON_BENCH_LEARNERS ?? 100);
  return {
    learners,
    step: Number(env.HANDSON_BENCH_PLATEAU ?? Math.max(1, Math.ceil(learners / 4))),
    measureMs: Number(env.HANDSON_BENCH_MEASURE_S ?? 20) * 1000,
    capMs: Number(env.HANDSON_BENCH_CAP_S ?? 15 * 60) * 1000,
  };
}

/** Memory the sandboxes use: the sum of their cgroups (v1 parents here report 0 themselves). */
async function engineMemoryMb(cgroupParent: string): Promise<number> {
  for (const [dir, file] of [
    [`/sys/fs/cgroup/memory/${cgroupParent}`, 'memory.usage_in_bytes'],
    [`/sys/fs/cgroup/${cgroupParent}`, 'memory.current'],
  ] as const) {
    const children = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
    if (!children) continue;
    let bytes = 0;
    for (const child of children.filter((c) => c.isDirectory())) {
      bytes += Number(await readFile(path.join(dir, child.name, file), 'utf8').catch(() => 0));
    }
    return Math.round(bytes / 2 ** 20);
  }
  return Number.NaN;
}

/** The host's CPU time so far (/proc/stat's first line, in ticks): idle (with iowait) and total. */
async function cpuTimes(): Promise<{ idle: number; total: number }> {
  const first = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const ticks = first.trim().split(/\s+/).slice(1).map(Number);
  return {
    idle: (ticks[3] ?? 0) + (ticks[4] ?? 0),
    total: ticks.reduce((sum, t) => sum + t, 0),
  };
}

/**
 * Every learner types and checks for `ms`: a keystroke every ~1 s, Check every ~10 s
 * (HANDSON_BENCH_CHECK_EVERY keystrokes; 0 = never, to tell the terminal's cost from the checks').
 */
async function measure(learners: SimulatedLearner[], ms: number) {
  const checkEvery = Number(process.env.HANDSON_BENCH_CHECK_EVERY ?? 10);
  const echo: number[] = [];
  const check: number[] = [];
  const until = performance.now() + ms;
  await Promise.all(
    learners.map(async (learner, i) => {
      // Spread the class out so they do not all press keys in the same millisecond.
      await new Promise((r) => setTimeout(r, (i * 37) % 1000));
      let n = 0;
      while (performance.now() < until) {
        try {
          echo.push(await learner.echoMs(n));
          if (checkEvery > 0 && n % checkEvery === i % checkEvery) {
            check.push((await learner.check(LESSON, STEP)).ms);
          }
        } catch {
          learner.errors++;
        }
        n++;
        await new Promise((r) => setTimeout(r, 800 + ((i * 131 + n * 17) % 400)));
      }
    }),
  );
  return { echo, check };
}

export async function workshopLoad(ctx: BenchContext): Promise<Measurement[]> {
  const { learners: target, step, measureMs, capMs } = settings();
  const deadline = performance.now() + capMs;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handson-bench-workshop-'));
  const config = { ...loadConfig(), database: path.join(dir, 'handson.sqlite') };
  // A process of its own, as an operator runs it (server-process.ts says why).
  const server = await ServerChild.start({
    database: config.database,
    maxSandboxes: target + 5,
    // The server's own log, for finding out why a plateau failed.
    logFile: process.env.HANDSON_BENCH_SERVER_LOG,
  });
  const admin = adminToken(config);
  const learners: SimulatedLearner[] = [];
  const plateaus: Plateau[] = [];
  let workshop: WorkshopView | undefined;
  let stopReason = `reached ${target} learners`;
  let preBootS = Number.NaN;
  const benchLoop = eventLoopDelay();
  /** Per plateau: seconds from asking for the new terminals to the last one's prompt. */
  const connectS: number[] = [];
  let startRetries = 0;
  try {
    const res = await fetch(`${server.url}/api/workshops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        lessons: [LESSON],
        durationMinutes: 60,
        maxLearners: target,
        title: 'load test',
      }),
    });
    if (res.status !== 201) throw new Error(`create workshop: ${res.status} ${await res.text()}`);
    workshop = (await res.json()) as WorkshopView;
    ctx.log(`workshop: ${target} seats, sandboxes booting ahead…`);
    const bootStarted = performance.now();
    const booted = await server.settled();
    preBootS = (performance.now() - bootStarted) / 1000;
    ctx.log(`workshop: ${booted} sandboxes booted in ${Math.round(preBootS)} s`);
    while (learners.length < target) {
      ctx.signal?.throwIfAborted();
      if (performance.now() > deadline) {
        stopReason = `the ${Math.round(capMs / 60000)}-minute cap`;
        break;
      }
      const batch: SimulatedLearner[] = [];
      const size = Math.min(step, target - learners.length);
      for (let i = 0; i < size; i++)
        batch.push(new SimulatedLearner(server.url, `learner-${learners.length + i + 1}`));
      await Promise.all(batch.map((l) => l.join(workshop!.code)));
      const connectStarted = performance.now();
      await Promise.all(batch.map((l) => l.connect(300_000)));
      connectS.push((performance.now() - connectStarted) / 1000);
      const failures = batch.flatMap((l) => l.startFailures.map((f) => `${l.name}: ${f}`));
      startRetries += failures.length;
      for (const failure of failures.slice(0, 5)) ctx.log(`workshop: retried ${failure}`);
      await Promise.all(
        batch.map((l, i) => l.run('docker version >/dev/null', `ready-${i}`, 120_000)),
      );
      learners.push(...batch);
      ctx.log(
        `workshop: ${learners.length} learners in (${Math.round((performance.now() - bootStarted) / 1000)} s); warming up, then measuring…`,
      );
      // The joins' own burst (every new learner's first `docker version`) is not the steady
      // state a class lives in: a short unmeasured round first.
      await measure(learners, Math.min(10_000, measureMs));
      await server.stats(); // resets the server's event-loop histogram
      benchLoop.reset();
      const cpuBefore = await cpuTimes();
      const { echo, check } = await measure(learners, measureMs);
      const cpuAfter = await cpuTimes();
      const serverStats = await server.stats();
      const plateau: Plateau = {
        learners: learners.length,
        echoP50: percentile(echo, 0.5),
        echoP99: percentile(echo, 0.99),
        checkP50: percentile(check, 0.5),
        checkP99: percentile(check, 0.99),
        serverRssMb: serverStats.rssMb,
        serverLoopP99Ms: serverStats.loopP99Ms,
        serverLoopMaxMs: serverStats.loopMaxMs,
        benchLoopP99Ms: benchLoop.p99(),
        hostCpuBusy: Math.round(
          100 * (1 - (cpuAfter.idle - cpuBefore.idle) / (cpuAfter.total - cpuBefore.total)),
        ),
        hostUsedMb: Math.round((os.totalmem() - os.freemem()) / 2 ** 20),
        engineMb: await engineMemoryMb(config.engine.cgroupParent),
        load1: Math.round(os.loadavg()[0]! * 10) / 10,
        errors: learners.reduce((n, l) => n + l.errors, 0),
      };
      plateaus.push(plateau);
      ctx.log(`workshop: ${JSON.stringify(plateau)}`);
      if (plateau.errors > 0) {
        stopReason = `${plateau.errors} errors at ${plateau.learners} learners`;
        break;
      }
      if (plateau.echoP99 > ECHO_GOAL_MS) {
        stopReason = `echo p99 ${plateau.echoP99.toFixed(1)} ms > ${ECHO_GOAL_MS} ms at ${plateau.learners} learners`;
        break;
      }
    }
  } finally {
    for (const l of learners) l.close();
    if (workshop) {
      await fetch(`${server.url}/api/workshops/${workshop.id}/end`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}` },
      }).catch(() => undefined);
    }
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  const last = plateaus.at(-1);
  const round = (n: number) => Math.round(n * 10) / 10;
  const rows: Measurement[] = plateaus.flatMap((p) => [
    {
      metric: `${p.learners} learners: keystroke echo p99`,
      value: round(p.echoP99),
      unit: 'ms',
      goal: ECHO_GOAL_MS,
      note: `p50 ${round(p.echoP50)} ms; event-loop delay p99: server ${round(p.serverLoopP99Ms)} ms (max ${round(p.serverLoopMaxMs)}), simulated class ${round(p.benchLoopP99Ms)} ms`,
    },
    // No Check row when the run pressed none (HANDSON_BENCH_CHECK_EVERY=0).
    ...(Number.isFinite(p.checkP99)
      ? [
          {
            metric: `${p.learners} learners: Check p99`,
            value: round(p.checkP99),
            unit: 'ms' as const,
            note: `p50 ${round(p.checkP50)} ms`,
          },
        ]
      : []),
    {
      metric: `${p.learners} learners: server RSS`,
      value: p.serverRssMb,
      unit: 'MB',
      note: `host used ${p.hostUsedMb} MB, sandboxes ${p.engineMb} MB, CPU ${p.hostCpuBusy}% busy, load ${p.load1}`,
    },
  ]);
  rows.unshift({
    metric: `${target} sandboxes booted ahead for the class`,
    value: Math.round(preBootS),
    unit: 's',
    note: 'two at a time, before anyone joins',
  });
  rows.push({
    metric: 'slowest plateau: all new terminals open',
    value: Math.round(Math.max(0, ...connectS) * 10) / 10,
    unit: 's',
    note: `${step} learners opening their terminals at once; ${startRetries} starts failed and were retried`,
  });
  rows.push({
    metric: 'learners held',
    value: last?.learners ?? 0,
    unit: 'count',
    goal: target,
    atLeast: true,
    note: `stopped: ${stopReason}`,
  });
  return rows;
}
