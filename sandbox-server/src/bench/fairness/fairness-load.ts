import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchContext, Measurement } from '../benchmark.ts';
import { eventLoopDelay, percentile, round } from '../stats.ts';
import { arrive } from '../workshop/arrivals.ts';
import { openBenchWorkshop } from '../workshop/bench-workshop.ts';
import { type Activity, typeAndCheck } from '../workshop/class-activity.ts';
import { cpuBusySince } from '../workshop/host-usage.ts';
import { SimulatedLearner } from '../workshop/learner-client.ts';
import { ATTACKS, type Attack } from './attacks.ts';

/**
 * Issue 17's fairness proof: N quiet learners type and check (as in the workshop bench) while one
 * learner runs, in turn, each attack in attacks.ts. Each round is measured against the quiet
 * baseline: the quiet learners' echo p99 (goal ≤ 1.5× the baseline), their Checks (every one
 * answered), and the server's event-loop delay (p99 ≤ 20 ms). The attacker's session is reset
 * after each attack, which must end it.
 */

const ECHO_RATIO_GOAL = 1.5;
const SERVER_LOOP_GOAL_MS = 20;
/** Time for an attack to reach full strength before the class is measured. */
const RAMP_MS = 5000;

function settings() {
  const env = process.env;
  const only = env.HANDSON_BENCH_ATTACKS?.split(',').map((s) => s.trim().toLowerCase());
  return {
    quiet: Number(env.HANDSON_BENCH_QUIET ?? 20),
    measureMs: Number(env.HANDSON_BENCH_MEASURE_S ?? 20) * 1000,
    attacks: ATTACKS.filter((a) => !only || only.includes(a.name.toLowerCase())),
  };
}

interface Round {
  name: string;
  activity: Activity;
  serverLoopP99Ms: number;
  benchLoopP99Ms: number;
  hostCpuBusy: number;
  learnerErrors: number;
}

export async function fairnessLoad(ctx: BenchContext): Promise<Measurement[]> {
  const { quiet: n, measureMs, attacks } = settings();
  const bench = await openBenchWorkshop(n + 1, 'fairness');
  const quiet = Array.from(
    { length: n },
    (_, i) => new SimulatedLearner(bench.server.url, `quiet-${i + 1}`),
  );
  const attacker = new SimulatedLearner(bench.server.url, 'attacker');
  const benchLoop = eventLoopDelay();
  const rounds: Round[] = [];
  const resets: { name: string; ms: number }[] = [];
  try {
    ctx.log(`fairness: ${n} quiet learners and one attacker; sandboxes booting…`);
    await bench.server.settled();
    await arrive([...quiet, attacker], bench.workshop.code, 0, 300_000);
    await Promise.all(quiet.map((l, i) => l.run('docker version >/dev/null', `ready-${i}`)));
    await typeAndCheck(quiet, Math.min(10_000, measureMs)); // warm-up, not measured
    const measureRound = async (name: string) => {
      await bench.server.stats(); // resets the server's event-loop histogram
      benchLoop.reset();
      const errorsBefore = quiet.reduce((sum, l) => sum + l.errors, 0);
      const cpu = await cpuBusySince();
      const activity = await typeAndCheck(quiet, measureMs);
      const round: Round = {
        name,
        activity,
        hostCpuBusy: await cpu.busy(),
        serverLoopP99Ms: (await bench.server.stats()).loopP99Ms,
        benchLoopP99Ms: benchLoop.p99(),
        learnerErrors: quiet.reduce((sum, l) => sum + l.errors, 0) - errorsBefore,
      };
      rounds.push(round);
      ctx.log(`fairness: ${name}: ${JSON.stringify(summary(round))}`);
    };
    await measureRound('quiet');
    for (const attack of attacks) {
      ctx.signal?.throwIfAborted();
      await runAttack(attacker, attack, () => measureRound(attack.name), resets);
    }
  } finally {
    for (const l of [...quiet, attacker]) l.close();
    await bench.close();
  }
  return report(rounds, resets, n);
}

/** One attack: start it, let it ramp up, measure the class, then reset the attacker. */
async function runAttack(
  attacker: SimulatedLearner,
  attack: Attack,
  measure: () => Promise<void>,
  resets: { name: string; ms: number }[],
): Promise<void> {
  attacker.type(attack.command);
  await sleep(RAMP_MS);
  await measure();
  resets.push({ name: attack.name, ms: await attacker.reset(120_000) });
}

function summary(r: Round) {
  return {
    echoP50: round(percentile(r.activity.echo, 0.5), 1),
    echoP99: round(percentile(r.activity.echo, 0.99), 1),
    checkP99: round(percentile(r.activity.check, 0.99), 1),
    checks: r.activity.check.length,
    failedChecks: r.activity.failedChecks,
    errors: r.learnerErrors,
    serverLoopP99Ms: round(r.serverLoopP99Ms, 1),
    benchLoopP99Ms: round(r.benchLoopP99Ms, 1),
    hostCpuBusy: r.hostCpuBusy,
  };
}

function report(
  rounds: Round[],
  resets: { name: string; ms: number }[],
  quietLearners: number,
): Measurement[] {
  const baseline = rounds[0];
  if (!baseline) return [];
  const baseP99 = percentile(baseline.activity.echo, 0.99);
  return rounds.flatMap((r): Measurement[] => {
    const s = summary(r);
    const reset = resets.find((x) => x.name === r.name);
    const isBaseline = r === baseline;
    return [
      {
        metric: `${r.name}: ${quietLearners} quiet learners' echo p99`,
        value: s.echoP99,
        unit: 'ms',
        ...(isBaseline ? {} : { goal: round(ECHO_RATIO_GOAL * baseP99, 1) }),
        note: `p50 ${s.echoP50} ms; Check p99 ${s.checkP99} ms; host CPU ${s.hostCpuBusy}% busy${isBaseline ? '' : `; ${round(s.echoP99 / baseP99, 2)}× the quiet baseline`}`,
      },
      {
        metric: `${r.name}: Checks and keystrokes without an answer`,
        value: s.errors,
        unit: 'count',
        goal: 0,
        note: `${s.failedChecks} of ${s.checks} Checks answered with an error; the rest: echo timeouts, closed terminals`,
      },
      {
        metric: `${r.name}: server event-loop delay p99`,
        value: s.serverLoopP99Ms,
        unit: 'ms',
        goal: SERVER_LOOP_GOAL_MS,
        note: `simulated class's own p99 ${s.benchLoopP99Ms} ms${reset ? `; attacker's reset → new prompt ${Math.round(reset.ms)} ms` : ''}`,
      },
    ];
  });
}
