import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { BenchContext, Measurement } from '../benchmark.ts';
import { eventLoopDelay, percentile } from '../stats.ts';
import { arrive } from './arrivals.ts';
import { openBenchWorkshop } from './bench-workshop.ts';
import { BENCH_STEP_SOLUTION, typeAndCheck } from './class-activity.ts';
import { cpuBusySince, engineMemoryMb } from './host-usage.ts';
import { SimulatedLearner } from './learner-client.ts';

/**
 * Issue 9's load test: a workshop on a real server (a process of its own), filled with simulated learners
 * in plateaus (each: join, open the terminal, run the checked step's solution); at every plateau all
 * learners type and press Check for a while and the latencies, memory and load are recorded.
 * It stops growing when keystroke echo p99 passes 50 ms, errors appear, or the class is full.
 * Loopback only; every sandbox is removed at the end, also after a failure or Ctrl-C.
 */

const ECHO_GOAL_MS = 50;
/** A learner who joins sees their prompt this soon, however many join with them. */
const JOIN_TO_PROMPT_GOAL_MS = 2000;

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

function settings(ctx: BenchContext) {
  const env = process.env;
  const learners = ctx.learners ?? Number(env.HANDSON_BENCH_LEARNERS ?? 100);
  const step = Number(env.HANDSON_BENCH_PLATEAU ?? Math.max(1, Math.ceil(learners / 4)));
  return {
    learners,
    step,
    // A class of 100 arriving within a minute: 0.6 s apart by default.
    arrivalMs: Number(env.HANDSON_BENCH_ARRIVAL_S ?? 0.6 * step) * 1000,
    measureMs: Number(env.HANDSON_BENCH_MEASURE_S ?? 20) * 1000,
    capMs: Number(env.HANDSON_BENCH_CAP_S ?? 15 * 60) * 1000,
  };
}

export async function workshopLoad(ctx: BenchContext): Promise<Measurement[]> {
  const { learners: target, step, arrivalMs, measureMs, capMs } = settings(ctx);
  const deadline = performance.now() + capMs;
  const { server, workshop, cgroupParent, close } = await openBenchWorkshop(target, 'load test');
  const learners: SimulatedLearner[] = [];
  const plateaus: Plateau[] = [];
  let stopReason = `reached ${target} learners`;
  let preBootS = Number.NaN;
  const benchLoop = eventLoopDelay();
  /** Per plateau: seconds from the first join to the last new learner's prompt. */
  const connectS: number[] = [];
  /** Every learner's join → prompt, ms. */
  const joinToPrompt: number[] = [];
  let startRetries = 0;
  try {
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
      const connectStarted = performance.now();
      joinToPrompt.push(...(await arrive(batch, workshop.code, arrivalMs, 300_000)));
      connectS.push((performance.now() - connectStarted) / 1000);
      const failures = batch.flatMap((l) => l.startFailures.map((f) => `${l.name}: ${f}`));
      startRetries += failures.length;
      for (const failure of failures.slice(0, 5)) ctx.log(`workshop: retried ${failure}`);
      await Promise.all(batch.map((l, i) => l.run(BENCH_STEP_SOLUTION, `ready-${i}`, 120_000)));
      learners.push(...batch);
      ctx.log(
        `workshop: ${learners.length} learners in (${Math.round((performance.now() - bootStarted) / 1000)} s); warming up, then measuring…`,
      );
      // The joins' own burst (every new learner's first `docker version`) is not the steady
      // state a class lives in: a short unmeasured round first.
      await typeAndCheck(learners, Math.min(10_000, measureMs));
      await server.stats(); // resets the server's event-loop histogram
      benchLoop.reset();
      const cpu = await cpuBusySince();
      const { echo, check } = await typeAndCheck(learners, measureMs);
      const hostCpuBusy = await cpu.busy();
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
        hostCpuBusy,
        hostUsedMb: Math.round((os.totalmem() - os.freemem()) / 2 ** 20),
        engineMb: await engineMemoryMb(cgroupParent),
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
    await close();
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
    metric: 'join → prompt p99',
    value: round(percentile(joinToPrompt, 0.99)),
    unit: 'ms',
    goal: JOIN_TO_PROMPT_GOAL_MS,
    note: `p50 ${round(percentile(joinToPrompt, 0.5))} ms, max ${round(Math.max(...joinToPrompt))} ms; ${joinToPrompt.length} learners, each plateau's arriving over ${round(arrivalMs / 1000)} s`,
  });
  rows.push({
    metric: 'slowest plateau: all new terminals open',
    value: Math.round(Math.max(0, ...connectS) * 10) / 10,
    unit: 's',
    note: `${step} learners joining and opening their terminals; ${startRetries} starts failed and were retried`,
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
