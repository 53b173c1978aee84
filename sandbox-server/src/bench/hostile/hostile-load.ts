import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { HTTP_SERVER_OPTIONS } from '../../http/connection-timeouts.ts';
import type { BenchContext, Measurement } from '../benchmark.ts';
import { ServerChild } from '../workshop/server-child.ts';
import { frameAttack } from './frame-attacks.ts';
import { newFrameTally, tryFrameAttack } from './frame-fuzz.ts';
import { httpAttack } from './http-attacks.ts';
import { newHttpTally, type Stalls, tryHttpAttack } from './http-fuzz.ts';
import { type LiveSession, openLiveSession, ServerError } from './live-terminal.ts';

/**
 * Issue 16's longer fuzz: the WebSocket frame fuzz and the raw HTTP fuzz of
 * test/integration/hostile, many more connections, against a real server in a process of its
 * own (as an operator runs it). Counts what was tried, crashes, 5xx and other broken promises
 * (a terminal that stops echoing, a connection left hanging), and the server's RSS before and
 * after. Sized by HANDSON_BENCH_FRAME_RUNS (default 300), HANDSON_BENCH_HTTP_RUNS (1000) and
 * HANDSON_BENCH_SEED (1616).
 */

const RSS_GROWTH_GOAL_MB = 32;

function settings() {
  const env = process.env;
  return {
    frameRuns: Number(env.HANDSON_BENCH_FRAME_RUNS ?? 300),
    httpRuns: Number(env.HANDSON_BENCH_HTTP_RUNS ?? 1000),
    seed: Number(env.HANDSON_BENCH_SEED ?? 1616),
  };
}

interface Failures {
  serverErrors: number;
  broken: number;
  /** The first few, to say what went wrong. */
  examples: string[];
}

/** Run `attempt` on every value; count 5xx and other failures instead of stopping at one. */
async function fuzz<T>(
  values: T[],
  attempt: (value: T) => Promise<void>,
  server: ServerChild,
  failures: Failures,
): Promise<void> {
  for (const value of values) {
    if (!server.running) return;
    try {
      await attempt(value);
    } catch (error) {
      if (!server.running) return;
      if (error instanceof ServerError) failures.serverErrors++;
      else failures.broken++;
      if (failures.examples.length < 5) failures.examples.push((error as Error).message);
    }
  }
}

export async function hostileLoad(ctx: BenchContext): Promise<Measurement[]> {
  const { frameRuns, httpRuns, seed } = settings();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handson-bench-hostile-'));
  const server = await ServerChild.start({
    database: path.join(dir, 'handson.sqlite'),
    maxSandboxes: 4,
    logFile: process.env.HANDSON_BENCH_SERVER_LOG,
  });
  const frames = newFrameTally();
  const http = newHttpTally();
  const failures: Failures = { serverErrors: 0, broken: 0, examples: [] };
  let session: LiveSession | undefined;
  try {
    session = await openLiveSession(server.url);
    const live = session;
    const rssBefore = (await server.stats({ gc: true })).rssMb;
    const started = performance.now();
    ctx.log(`hostile: ${frameRuns} WebSocket connections of random frames (seed ${seed})…`);
    await fuzz(
      fc.sample(frameAttack, { seed, numRuns: frameRuns }),
      (attack) => tryFrameAttack(live, attack, frames),
      server,
      failures,
    );
    ctx.log(`hostile: ${httpRuns} raw HTTP connections (seed ${seed})…`);
    const stalls: Stalls = { ms: HTTP_SERVER_OPTIONS.requestTimeout + 15_000, pending: [] };
    await fuzz(
      fc.sample(httpAttack, { seed, numRuns: httpRuns }),
      (attack) => tryHttpAttack(live, attack, http, stalls),
      server,
      failures,
    );
    await fuzz(stalls.pending, (stalled) => stalled, server, failures);
    const seconds = Math.round((performance.now() - started) / 1000);
    const crashed = server.running ? 0 : 1;
    const rssAfter = crashed ? Number.NaN : (await server.stats({ gc: true })).rssMb;
    if (failures.examples.length) ctx.log(`hostile: failures: ${failures.examples.join(' | ')}`);
    return [
      {
        metric: 'WebSocket connections tried',
        value: frames.connections,
        unit: 'count',
        note: `${frames.frames} frames; server close codes ${JSON.stringify(frames.closeCodes)}`,
      },
      {
        metric: 'HTTP connections tried',
        value: http.connections,
        unit: 'count',
        note: `${http.requests} requests; ${http.stalledClosed} slow-loris stalls cut off by the server; statuses ${JSON.stringify(http.statuses)}`,
      },
      {
        metric: 'server crashes',
        value: crashed,
        unit: 'count',
        goal: 0,
        note: `${seconds} s of fuzz`,
      },
      {
        metric: '5xx answers',
        value: failures.serverErrors,
        unit: 'count',
        goal: 0,
        note: "besides the ports proxy's documented 502/504 about the learner's own service",
      },
      {
        metric: 'broken promises',
        value: failures.broken,
        unit: 'count',
        goal: 0,
        note: 'a terminal that stopped echoing, a connection neither answered nor closed, an undocumented close code',
      },
      {
        metric: 'server RSS growth',
        value: rssAfter - rssBefore,
        unit: 'MB',
        goal: RSS_GROWTH_GOAL_MB,
        note: `${rssBefore} MB before, ${rssAfter} MB after, each after a full garbage collection`,
      },
    ];
  } finally {
    if (session && server.running) {
      await fetch(`${session.url}/api/sessions/${session.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${session.token}` },
      }).catch(() => undefined);
    }
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
