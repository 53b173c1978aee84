import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpAttack } from '../../../sandbox-server/src/bench/hostile/http-attacks.ts';
import {
  newHttpTally,
  tryHttpAttack,
} from '../../../sandbox-server/src/bench/hostile/http-fuzz.ts';
import { HTTP_SERVER_OPTIONS } from '../../../sandbox-server/src/http/connection-timeouts.ts';
import { rssMb } from './serve-process.ts';
import { servedSession } from './served-session.ts';

// Raw bytes over real TCP to a real `handson serve`: malformed request lines, huge headers,
// slowloris stalls, pipelines, invalid chunked bodies, bodies longer than declared and absurd
// Content-Lengths. No 5xx, every connection answered or closed, a later request succeeds.
describe('raw HTTP fuzz over a real socket (handson serve)', () => {
  const served = servedSession();

  it('no connection crashes the server, gets a 5xx or is left hanging', async () => {
    const serve = served.serve();
    const session = served.session();
    const tally = newHttpTally();
    const rssBefore = rssMb(serve.pid);
    const stalls = {
      ms: HTTP_SERVER_OPTIONS.requestTimeout + 15_000,
      pending: [] as Promise<void>[],
    };
    await fc.assert(
      fc.asyncProperty(httpAttack, (attack) => tryHttpAttack(session, attack, tally, stalls)),
      { seed: 1616, numRuns: 150, endOnFailure: true },
    );
    await Promise.all(stalls.pending);
    expect(tally.stalledClosed).toBeGreaterThan(0);
    expect(serve.child.exitCode).toBeNull();
    expect(serve.stderr()).not.toMatch(/uncaught exception|unhandled rejection/i);
    // The run reached the routes as well as Node's parser refusals.
    expect(Object.keys(tally.statuses)).toEqual(expect.arrayContaining(['200', '400']));
    expect(rssMb(serve.pid) - rssBefore).toBeLessThanOrEqual(32);
    console.log(JSON.stringify({ ...tally, rssBefore, rssAfter: rssMb(serve.pid) }));
  }, 120_000);
});
