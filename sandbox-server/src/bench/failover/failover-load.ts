import os from 'node:os';
import type { WorkshopView } from '#contracts/workshop.ts';
import { loadConfig } from '../../config.ts';
import { adminToken } from '../../workshops/admin-token.ts';
import type { BenchContext, Measurement } from '../benchmark.ts';
import { arrive } from '../workshop/arrivals.ts';
import { createBenchWorkshop } from '../workshop/bench-workshop.ts';
import { BENCH_STEP_SOLUTION } from '../workshop/class-activity.ts';
import { SimulatedLearner } from '../workshop/learner-client.ts';
import { BenchCluster } from './bench-cluster.ts';
import { type RunningClass, runClass } from './failover-class.ts';
import { failoverReport } from './failover-report.ts';
import { processCpuSince } from './process-cpu.ts';

/**
 * Issue 21's failover bench: `cluster up --replicas 2` of its own, a workshop class of simulated
 * learners through HAProxy (the workshop bench's learners), measured; one replica SIGKILLed
 * mid-class; how long until every learner is served again and what they saw; the same class
 * measured again on the survivor alone. `cluster down` at the end, also after a failure or Ctrl-C.
 */

export interface FailoverSettings {
  /** The class size (`--learners`, HANDSON_BENCH_LEARNERS; default 100). */
  learners: number;
  /** Each measured window (before the kill, after it), ms. */
  measureMs: number;
  /** The class arrives over this long, ms. */
  arrivalMs: number;
}

/** The settings from `ctx.learners` and the environment the workshop bench reads too. */
export function failoverSettings(ctx: BenchContext): FailoverSettings {
  const learners = ctx.learners ?? Number(process.env.HANDSON_BENCH_LEARNERS ?? 100);
  return {
    learners,
    measureMs: Number(process.env.HANDSON_BENCH_MEASURE_S ?? 20) * 1000,
    // A class of 100 arriving within a minute, as in the workshop bench.
    arrivalMs: Number(process.env.HANDSON_BENCH_ARRIVAL_S ?? 0.6 * learners) * 1000,
  };
}

/** How long after the kill the bench waits for every learner to be served again. */
const SERVED_AGAIN_CAP_MS = 90_000;

export async function failoverLoad(
  ctx: BenchContext,
  settings: FailoverSettings = failoverSettings(ctx),
): Promise<Measurement[]> {
  const { learners: size, measureMs, arrivalMs } = settings;
  const stop = interruptible(ctx.signal);
  ctx.log(`failover: cluster up --replicas 2 (its own directory and ports)…`);
  const cluster = await BenchCluster.up(ctx.projectRoot, 2);
  const admin = adminToken(loadConfig());
  const learners: SimulatedLearner[] = [];
  let workshop: WorkshopView | undefined;
  let cls: RunningClass | undefined;
  try {
    workshop = await createBenchWorkshop(cluster.url, admin, size, 'failover bench');
    for (let i = 0; i < size; i++) {
      learners.push(new SimulatedLearner(cluster.url, `learner-${i + 1}`));
    }
    // In quarters, as the workshop bench's plateaus: a whole class booting sandboxes at once
    // would swamp a 2-core engine before anything is measured.
    const quarter = Math.ceil(size / 4);
    for (let from = 0; from < size; from += quarter) {
      const batch = learners.slice(from, from + quarter);
      ctx.log(
        `failover: learners ${from + 1}–${from + batch.length} joining through ${cluster.url}…`,
      );
      await stop.race(arrive(batch, workshop.code, (arrivalMs * batch.length) / size, 300_000));
      await stop.race(
        Promise.all(batch.map((l, i) => l.run(BENCH_STEP_SOLUTION, `ready-${from + i}`, 120_000))),
      );
    }
    const ids = learners.map((l) => l.session.id);
    const owners = await cluster.owners(ids);
    const perReplica = cluster.status.replicas.map((r) => ({
      replica: r,
      sessions: ids.filter((id) => owners.get(id) === r.id).length,
    }));
    // The busier replica dies: the harder case.
    perReplica.sort((a, b) => b.sessions - a.sessions);
    const victim = perReplica[0]!;
    const survivor = perReplica[1]!.replica;
    ctx.log(
      `failover: sessions per replica ${perReplica.map((p) => `${p.replica.id} ${p.sessions}`).join(', ')}; warming up…`,
    );

    cls = runClass(learners);
    await stop.sleep(Math.min(10_000, measureMs));
    cls.enter('before');
    const pids = cluster.status.replicas.map((r) => r.pid!);
    const cpuBefore = await processCpuSince(pids);
    await stop.sleep(measureMs);
    const cpuTwo = await cpuBefore.percent();
    const loadBefore = load1();

    ctx.log(`failover: SIGKILL ${victim.replica.id} (pid ${victim.replica.pid})…`);
    cls.enter('failover');
    const killedAt = cls.killed();
    process.kill(victim.replica.pid!, 'SIGKILL');
    const cap = new AbortController();
    await stop.race(Promise.race([cls.allServedAgain(), delay(SERVED_AGAIN_CAP_MS, cap.signal)]));
    cap.abort();
    ctx.log('failover: every learner served again (or the cap passed); measuring the survivor…');

    // A moment for the reconnects' own burst to pass: the survivor's steady state is measured.
    await stop.sleep(Math.min(5_000, measureMs));
    cls.enter('after');
    const cpuAfter = await processCpuSince([survivor.pid!]);
    await stop.sleep(measureMs);
    const cpuOne = await cpuAfter.percent();
    const loadAfter = load1();
    await cls.stop();

    const ownersAfter = await cluster.owners(ids);
    return failoverReport({
      class: cls.record,
      killedAt,
      onVictim: victim.sessions,
      notOnSurvivor: ids.filter((id) => ownersAfter.get(id) !== survivor.id).length,
      cpuBefore: cpuTwo,
      cpuAfter: cpuOne,
      loadBefore,
      loadAfter,
      measureS: measureMs / 1000,
    });
  } finally {
    const stopped = cls?.stop();
    for (const l of learners) l.close();
    await stopped;
    ctx.log('failover: removing the class and bringing the cluster down…');
    await removeClass(cluster.url, admin, learners, workshop);
    await cluster.down();
    stop.dispose();
  }
}

/** Every learner's session goes (their sandboxes with it), then the workshop ends. */
async function removeClass(
  base: string,
  admin: string,
  learners: SimulatedLearner[],
  workshop: WorkshopView | undefined,
): Promise<void> {
  const joined = learners.filter((l) => l.session !== undefined);
  // A few at a time: the replicas remove sandboxes one by one anyway.
  for (let i = 0; i < joined.length; i += 10) {
    await Promise.all(
      joined.slice(i, i + 10).map((l) =>
        fetch(`${base}/api/sessions/${l.session.id}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${l.session.token}` },
        })
          .then((res) => res.arrayBuffer())
          .catch(() => undefined),
      ),
    );
  }
  if (workshop) {
    await fetch(`${base}/api/workshops/${workshop.id}/end`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    })
      .then((res) => res.arrayBuffer())
      .catch(() => undefined);
  }
}

function load1(): number {
  return Math.round(os.loadavg()[0]! * 10) / 10;
}

/** Resolves after `ms`, or at once when `signal` aborts (its timer then goes). */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Ctrl-C (SIGINT), SIGTERM or `signal` stop the bench's waits with an error, so its `finally`
 * brings the cluster down instead of leaving it running (the replicas outlive this process).
 */
function interruptible(signal: AbortSignal | undefined) {
  const controller = new AbortController();
  const onSignal = (name: string) => () =>
    controller.abort(new Error(`interrupted (${name}): the cluster is brought down`));
  const onInt = onSignal('SIGINT');
  const onTerm = onSignal('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  const onOuter = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onOuter);
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason));
  });
  aborted.catch(() => undefined);
  return {
    race: <T>(work: Promise<T>): Promise<T> => Promise.race([work, aborted]),
    sleep: (ms: number): Promise<void> => Promise.race([delay(ms, controller.signal), aborted]),
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      signal?.removeEventListener('abort', onOuter);
    },
  };
}
