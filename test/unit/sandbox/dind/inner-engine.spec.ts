import { afterEach, describe, expect, it } from 'vitest';
import {
  INNER_ENGINE_BOUNDS,
  innerEngineClient,
} from '../../../../sandbox-server/src/sandbox/dind/inner-engine.ts';
import { type HostileEngine, startHostileEngine } from '../../helpers/hostile-engine.ts';

/**
 * The learner owns the inner engine's socket: whatever answers there must not hold the
 * server's time or memory. Each case would hang or buffer without limit on an unbounded client.
 */

const SMALL = { maxBytes: 2 ** 20, deadlineMs: 1_000 };
let engine: HostileEngine | undefined;

afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

async function failure(call: Promise<unknown>): Promise<NodeJS.ErrnoException> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: NodeJS.ErrnoException) => error,
  );
}

describe('the inner engine client', () => {
  it('hangs up on an endless JSON answer once it passes the byte budget', async () => {
    engine = await startHostileEngine('flood');
    const error = await failure(innerEngineClient(engine.socketPath).listContainers());
    expect(error.code).toBe('EMSGSIZE');
    expect(error.message).toMatch(/sent more than 8 MiB/);
    await expect.poll(() => engine!.closed).toBe(1);
    // What the kernel buffers beyond the budget is all the server could push.
    expect(engine.bytesWritten).toBeLessThan(INNER_ENGINE_BOUNDS.maxBytes + 4 * 2 ** 20);
  });

  it('hangs up on a huge well-formed list before reading it all', async () => {
    engine = await startHostileEngine('huge-json');
    const error = await failure(
      innerEngineClient(engine.socketPath, { bounds: SMALL }).listContainers(),
    );
    expect(error.code).toBe('EMSGSIZE');
    await expect.poll(() => engine!.closed).toBe(1);
    expect(engine.bytesWritten).toBeLessThan(16 * 2 ** 20);
  });

  it('refuses bytes that are not HTTP (cat /dev/zero)', async () => {
    engine = await startHostileEngine('zeros');
    const error = await failure(innerEngineClient(engine.socketPath).ping());
    expect(error.code).toMatch(/^HPE_|EMSGSIZE/);
    await expect.poll(() => engine!.closed).toBe(1);
  });

  it('cuts an answer that trickles past its deadline', async () => {
    engine = await startHostileEngine('trickle');
    const error = await failure(
      innerEngineClient(engine.socketPath, { bounds: SMALL }).getContainer('web').inspect(),
    );
    expect(error.code).toBe('ETIMEDOUT');
    expect(error.message).toMatch(/did not answer within 1 s/);
    await expect.poll(() => engine!.closed).toBe(1);
  });

  it('cuts a connection that never answers at its deadline', async () => {
    engine = await startHostileEngine('silent');
    const error = await failure(innerEngineClient(engine.socketPath, { bounds: SMALL }).info());
    expect(error.code).toBe('ETIMEDOUT');
    await expect.poll(() => engine!.closed).toBe(1);
  });

  it('cuts every open call when its signal aborts, long before the deadline', async () => {
    engine = await startHostileEngine('silent');
    const controller = new AbortController();
    const docker = innerEngineClient(engine.socketPath, { signal: controller.signal });
    const calls = [docker.listContainers(), docker.listImages()].map((call) =>
      call.catch((error: Error) => error),
    );
    await expect.poll(() => engine!.connections).toBe(2);
    controller.abort(new Error('the check timed out'));
    const errors = await Promise.all(calls);
    expect(errors.every((e) => e instanceof Error)).toBe(true);
    await expect.poll(() => engine!.closed).toBe(2);
  });
});
