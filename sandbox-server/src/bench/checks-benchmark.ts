import { performance } from 'node:perf_hooks';
import { type Check, lessonIdFromFolder } from '#contracts/lesson.ts';
import { runChecks } from '../checks/runner.ts';
import { loadConfig } from '../config.ts';
import { contentDir } from '../lessons/catalog.ts';
import { findLesson } from '../lessons/find-lesson.ts';
import type { Sandbox } from '../sandbox/driver.ts';
import { dindDriver } from '../verify/run-verify.ts';
import { verifyLesson } from '../verify/verify-lesson.ts';
import type { BenchContext, Benchmark, Measurement } from './benchmark.ts';
import { percentile, round } from './stats.ts';

const SAMPLES = 40;
const VERIFY_LESSON = '02-first-containers';

/** The step a learner checks most: a container, one inspect path, one page over HTTP. */
const THREE_CHECKS: Check[] = [
  { kind: 'container', name: 'web', state: 'running', image: 'busybox' },
  {
    kind: 'inspect',
    container: 'web',
    path: 'NetworkSettings.Ports.80/tcp.0.HostPort',
    equals: '8080',
  },
  { kind: 'http', port: 8080, contains: 'Welcome' },
];

/** The same step answered by the inner engine alone (no HTTP through the sandbox). */
const ENGINE_CHECKS: Check[] = [
  { kind: 'container', name: 'web', state: 'running', image: 'busybox' },
  {
    kind: 'inspect',
    container: 'web',
    path: 'NetworkSettings.Ports.80/tcp.0.HostPort',
    equals: '8080',
  },
  { kind: 'logs', container: 'web', matches: '^$|.' },
];

async function sample(checks: Check[], sandbox: Sandbox): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await runChecks(checks, sandbox, { lang: 'en' });
    times.push(performance.now() - started);
  }
  return times;
}

async function checkLatency(ctx: BenchContext): Promise<Measurement[]> {
  const driver = await dindDriver(loadConfig());
  const sandbox = await driver.create({
    sessionId: 'bench-checks',
    labels: { 'dev.handson.bench': 'checks' },
  });
  try {
    await sandbox.ready(ctx.signal);
    ctx.log('checks: starting a web container in the sandbox…');
    const setup = await sandbox.exec([
      'sh',
      '-c',
      `docker run -d --name web -p 8080:80 busybox sh -c 'mkdir /www && echo Welcome > /www/index.html && exec httpd -f -p 80 -h /www'`,
    ]);
    if (setup.exitCode !== 0) throw new Error(`could not start the web container: ${setup.stderr}`);
    const first = await runChecks(THREE_CHECKS, sandbox, { lang: 'en' });
    if (!first.passed)
      throw new Error(`the benchmark step does not pass: ${JSON.stringify(first.checks)}`);
    const times = await sample(THREE_CHECKS, sandbox);
    const engine = await sample(ENGINE_CHECKS, sandbox);
    return [
      {
        metric: 'check latency, 3-check step (container, inspect, http), p50',
        value: round(percentile(times, 0.5), 1),
        unit: 'ms',
        goal: 30,
        note: `${SAMPLES} runs; http rides sandbox.connect (a unix socket to a socat listener in the sandbox's network namespace)`,
      },
      {
        metric: 'check latency, 3-check step (container, inspect, http), p95',
        value: round(percentile(times, 0.95), 1),
        unit: 'ms',
      },
      {
        metric: 'check latency, 3-check step (container, inspect, logs), p50',
        value: round(percentile(engine, 0.5), 1),
        unit: 'ms',
        goal: 30,
        note: 'inner Engine API only',
      },
    ];
  } finally {
    await driver.destroy(sandbox.id);
  }
}

async function verifyTime(ctx: BenchContext): Promise<Measurement[]> {
  const cfg = loadConfig();
  const lesson = await findLesson(VERIFY_LESSON, contentDir(cfg));
  ctx.log(`checks: verifying ${lessonIdFromFolder(VERIFY_LESSON)}…`);
  const outcome = await verifyLesson(lesson, await dindDriver(cfg), { signal: ctx.signal });
  if (!outcome.passed) throw new Error(`verify failed: ${outcome.problems.join('; ')}`);
  const ms = outcome.steps.map((s) => s.ms);
  return [
    {
      metric: `verify time per step (${lesson.id}), p50`,
      value: round(percentile(ms, 0.5), 1),
      unit: 'ms',
      note: `${ms.length} steps`,
    },
    {
      metric: `verify time per step (${lesson.id}), max`,
      value: round(Math.max(...ms), 1),
      unit: 'ms',
    },
  ];
}

/**
 * The check engine: latency of a typical 3-check step against a live sandbox, and how long
 * `handson verify` takes per step (before checks + typed solution + after checks).
 */
export const checksBenchmark: Benchmark = {
  name: 'checks',
  description: 'check latency for a 3-check step (container, inspect, http); verify time per step',
  async run(ctx) {
    return [...(await checkLatency(ctx)), ...(await verifyTime(ctx))];
  },
};
