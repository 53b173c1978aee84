import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { loadConfig } from '../config.ts';
import { DindDriver } from '../sandbox/dind/dind-driver.ts';
import { SANDBOX_IMAGE } from '../sandbox/dind/profile.ts';
import type { Sandbox } from '../sandbox/driver.ts';
import { WarmPool } from '../sandbox/warm-pool.ts';
import type { BenchContext, Benchmark, Measurement } from './benchmark.ts';
import { innerBootStages, type StageTime } from './boot-timeline.ts';
import { percentile, round } from './stats.ts';

/**
 * Sandboxes: cold create → inner engine ready (split into the driver's create and the inner
 * dockerd boot), a raw `docker run` of the same image as the baseline, warm-pool acquire, idle
 * memory per sandbox (memory cgroup), and a bounded density probe: up to N sandboxes each
 * running a container, `docker ps` latency inside all of them at each plateau.
 * HANDSON_BENCH_SANDBOXES sets N (default 10; the density goal is 200).
 */

const since = (start: number) => performance.now() - start;
const IDLE_CPU_MS = 20_000;

/** The sandbox's own directory in a cgroup v1 hierarchy (`memory`, `cpuacct`). */
async function cgroupDirOf(driver: DindDriver, sandbox: Sandbox, controller: string) {
  const info = await driver.docker.getContainer(driver.containerName(sandbox.id)).inspect();
  const line = (await readFile(`/proc/${info.State.Pid}/cgroup`, 'utf8'))
    .split('\n')
    .find((l) => (l.split(':')[1] ?? '').split(',').includes(controller));
  if (!line) throw new Error(`no ${controller} cgroup (cgroup v2 hosts are not measured here yet)`);
  return `/sys/fs/cgroup/${controller}${line.split(':')[2]}`;
}

async function memoryOf(
  driver: DindDriver,
  sandbox: Sandbox,
): Promise<{ usage: number; rss: number }> {
  const dir = await cgroupDirOf(driver, sandbox, 'memory');
  const usage = Number(await readFile(`${dir}/memory.usage_in_bytes`, 'utf8'));
  const stat = await readFile(`${dir}/memory.stat`, 'utf8');
  const rss = Number(/^total_rss (\d+)/m.exec(stat)?.[1] ?? 0);
  return { usage, rss };
}

/**
 * CPU an idle sandbox burns (its inner containerd and dockerd waking up), in ms per second,
 * over `ms`: what every seat booted ahead for a class costs before anyone types.
 */
async function idleCpuOf(driver: DindDriver, sandboxes: Sandbox[], ms: number) {
  const dirs = await Promise.all(sandboxes.map((s) => cgroupDirOf(driver, s, 'cpuacct')));
  const usage = () =>
    Promise.all(dirs.map(async (d) => Number(await readFile(`${d}/cpuacct.usage`, 'utf8'))));
  const before = await usage();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const after = await usage();
  const seconds = since(started) / 1000;
  return after.map((ns, i) => (ns - before[i]!) / 1e6 / seconds);
}

/** The inner boot's stages (from the sandbox's dockerd log) and when its API came up. */
async function innerStagesOf(
  driver: DindDriver,
  sandbox: Sandbox,
): Promise<{ stages: StageTime[]; listenAt: number | undefined }> {
  const info = await driver.docker.getContainer(driver.containerName(sandbox.id)).inspect();
  const log = await sandbox.exec(['cat', '/var/log/dockerd.log']);
  const startedAt = Date.parse(info.State.StartedAt);
  const stages = innerBootStages(log.stdout, startedAt);
  const total = stages.reduce((sum, s) => sum + s.ms, 0);
  return { stages, listenAt: stages.length ? startedAt + total : undefined };
}

async function rawDockerRun(driver: DindDriver): Promise<number> {
  const start = performance.now();
  const c = await driver.docker.createContainer({ Image: SANDBOX_IMAGE, Entrypoint: ['true'] });
  await c.start();
  await c.wait();
  const ms = since(start);
  await c.remove({ force: true });
  return ms;
}

async function run(ctx: BenchContext): Promise<Measurement[]> {
  const driver = new DindDriver(loadConfig());
  await driver.preflight();
  const rounds = 9;
  const created: Sandbox[] = [];
  const out: Measurement[] = [];
  try {
    const cold: number[] = [];
    const raw: number[] = [];
    const stages = new Map<string, number[]>();
    const record = (stage: string, ms: number) =>
      stages.set(stage, [...(stages.get(stage) ?? []), ms]);
    for (let i = 0; i < rounds; i++) {
      ctx.signal?.throwIfAborted();
      raw.push(await rawDockerRun(driver));
      const startedAt = Date.now();
      let last = startedAt;
      driver.onStage = (stage) => {
        record(`host: ${stage}`, Date.now() - last);
        last = Date.now();
      };
      const sandbox = await driver.create({ sessionId: `bench-cold-${i}` });
      driver.onStage = undefined;
      await sandbox.ready();
      const readyAt = Date.now();
      cold.push(readyAt - startedAt);
      created.push(sandbox);
      const inner = await innerStagesOf(driver, sandbox);
      for (const { stage, ms } of inner.stages) record(`sandbox: ${stage}`, ms);
      if (inner.listenAt) record('server: sees the engine answer', readyAt - inner.listenAt);
      ctx.log(`cold ${i + 1}/${rounds}: ${cold.at(-1)} ms`);
    }
    out.push(
      {
        metric: 'cold create → engine ready p50',
        value: Math.round(percentile(cold, 0.5)),
        unit: 'ms',
        goal: 1000,
      },
      ...[...stages].map(
        ([stage, times]): Measurement => ({
          metric: `… ${stage} p50`,
          value: Math.round(percentile(times, 0.5)),
          unit: 'ms',
        }),
      ),
      {
        metric: 'raw `docker run` of the sandbox image p50 (baseline)',
        value: Math.round(percentile(raw, 0.5)),
        unit: 'ms',
      },
    );

    // Idle memory: the cold sandboxes, a few seconds after boot.
    await new Promise((r) => setTimeout(r, 3000));
    const mem = await Promise.all(created.map((s) => memoryOf(driver, s)));
    out.push(
      {
        metric: 'idle memory per sandbox (cgroup usage) p50',
        value: Math.round(
          percentile(
            mem.map((m) => m.usage),
            0.5,
          ) /
            2 ** 20,
        ),
        unit: 'MB',
        goal: 40,
      },
      {
        metric: 'idle memory per sandbox (rss only) p50',
        value: Math.round(
          percentile(
            mem.map((m) => m.rss),
            0.5,
          ) /
            2 ** 20,
        ),
        unit: 'MB',
      },
    );
    const idleCpu = await idleCpuOf(driver, created, IDLE_CPU_MS);
    out.push({
      metric: 'idle CPU per sandbox p50',
      value: round(percentile(idleCpu, 0.5)),
      unit: 'ms',
      note: `CPU time per second, over ${IDLE_CPU_MS / 1000} s; the worst ${round(Math.max(...idleCpu))} ms`,
    });

    // Warm acquire.
    const pool = new WarmPool(driver, { size: 2 });
    pool.fill();
    await pool.settled();
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      created.push(await pool.acquire(`bench-warm-${i}`));
      warm.push(since(start));
      await pool.settled();
    }
    await pool.drain();
    out.push({
      metric: 'warm-pool acquire p50',
      value: Math.round(percentile(warm, 0.5) * 10) / 10,
      unit: 'ms',
      goal: 100,
    });

    out.push(...(await density(ctx, driver, created)));
    return out;
  } finally {
    ctx.log(`removing ${created.length} sandboxes`);
    for (const s of created) await driver.destroy(s.id).catch(() => undefined);
  }
}

/** How many sandboxes boot at once while filling the machine (the engine serialises much of it). */
const DENSITY_PARALLEL = 4;
const PS_GOAL_MS = 1000;

/**
 * Density in plateaus (HANDSON_BENCH_DENSITY_STEP, default 50): add sandboxes, each running a
 * container, then time `docker ps` inside every one of them; stop at the target
 * (HANDSON_BENCH_SANDBOXES, default 10), when p99 passes 1 s, or at the first failure.
 */
async function density(
  ctx: BenchContext,
  driver: DindDriver,
  created: Sandbox[],
): Promise<Measurement[]> {
  const target = Number(process.env.HANDSON_BENCH_SANDBOXES ?? 10);
  const step = Number(process.env.HANDSON_BENCH_DENSITY_STEP ?? 50);
  const withContainer = new Set<Sandbox>();
  const startContainer = async (s: Sandbox) => {
    const res = await s.exec(['docker', 'run', '-d', 'busybox', 'sleep', '3600'], {
      timeoutMs: 120_000,
    });
    if (res.exitCode !== 0) throw new Error(`docker run in a sandbox: ${res.stderr.trim()}`);
    withContainer.add(s);
  };
  const rows: Measurement[] = [];
  let held = 0;
  let stopped = `reached ${target}`;
  try {
    for (const s of created) await startContainer(s);
    // One plateau at least: the sandboxes from the cold and warm rounds may already be the target.
    for (;;) {
      ctx.signal?.throwIfAborted();
      const goal = Math.min(
        target,
        Math.max(created.length + 1, (Math.floor(created.length / step) + 1) * step),
      );
      const started = performance.now();
      while (created.length < goal) {
        const batch = Math.min(DENSITY_PARALLEL, goal - created.length);
        await Promise.all(
          Array.from({ length: batch }, async () => {
            const sandbox = await driver.create({
              sessionId: `bench-density-${created.length}-${Math.random().toString(36).slice(2, 8)}`,
            });
            created.push(sandbox);
            await sandbox.ready();
            await startContainer(sandbox);
          }),
        );
        ctx.log(`density: ${created.length}/${goal} sandboxes`);
      }
      const ps: number[] = [];
      for (let round = 0; round < 2; round++) {
        for (const s of created) {
          const start = performance.now();
          await s.exec(['docker', 'ps', '-q'], { timeoutMs: 30_000 });
          ps.push(since(start));
        }
      }
      const p99 = percentile(ps, 0.99);
      const usedMb = Math.round((os.totalmem() - os.freemem()) / 2 ** 20);
      rows.push({
        metric: `${created.length} sandboxes: \`docker ps\` inside, p99`,
        value: Math.round(p99),
        unit: 'ms',
        goal: PS_GOAL_MS,
        note: `p50 ${Math.round(percentile(ps, 0.5))} ms; filled in ${Math.round(since(started) / 1000)} s; host memory used ${usedMb} MB; load ${os.loadavg()[0]!.toFixed(1)}`,
      });
      ctx.log(`density: ${rows.at(-1)!.metric} ${rows.at(-1)!.value} ms (${rows.at(-1)!.note})`);
      if (p99 > PS_GOAL_MS) {
        stopped = `\`docker ps\` p99 over ${PS_GOAL_MS} ms at ${created.length}`;
        break;
      }
      held = created.length;
      if (created.length >= target) break;
    }
  } catch (err) {
    stopped = `failed at ${created.length}: ${(err as Error).message.split('\n')[0]}`;
  }
  rows.push({
    metric: 'density: sandboxes each running a container, `docker ps` p99 ≤ 1 s',
    value: held,
    unit: 'count',
    goal: 200,
    atLeast: true,
    note: `stopped: ${stopped}`,
  });
  return rows;
}

export const sandboxBenchmark: Benchmark = {
  name: 'sandbox',
  description: 'dind sandboxes: cold start vs raw docker run, warm acquire, idle memory, density',
  run,
};
