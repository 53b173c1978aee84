import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameAttack } from '../../../sandbox-server/src/bench/hostile/frame-attacks.ts';
import {
  newFrameTally,
  tryFrameAttack,
} from '../../../sandbox-server/src/bench/hostile/frame-fuzz.ts';
import { rssMb } from './serve-process.ts';
import { servedSession } from './served-session.ts';

// Random and invalid WebSocket frames against a live terminal of a real `handson serve` (real
// sandbox): the process survives, closes only with documented codes, the terminal still echoes
// and the API answers without a 5xx after every connection. Fixed seed, bounded for CI.
describe('terminal WebSocket frame fuzz (handson serve, dind)', () => {
  const served = servedSession();

  it('no frame sequence crashes the server, breaks the terminal or grows its memory', async () => {
    const serve = served.serve();
    const session = served.session();
    const tally = newFrameTally();
    const rssBefore = rssMb(serve.pid);
    await fc.assert(
      fc.asyncProperty(frameAttack, (attack) => tryFrameAttack(session, attack, tally)),
      { seed: 1616, numRuns: 40, endOnFailure: true },
    );
    expect(serve.child.exitCode).toBeNull();
    expect(serve.stderr()).not.toMatch(/uncaught exception|unhandled rejection/i);
    // The run reached ws's refusals as well as the terminal.
    expect(Object.keys(tally.closeCodes)).toEqual(expect.arrayContaining(['none', '1002']));
    expect(rssMb(serve.pid) - rssBefore).toBeLessThanOrEqual(32);
    console.log(JSON.stringify({ ...tally, rssBefore, rssAfter: rssMb(serve.pid) }));
  }, 120_000);
});
