import { afterEach, describe, expect, it } from 'vitest';
import { type Check, lessonSchema } from '#contracts/lesson.ts';
import { evaluateCheck, runChecks } from '../../../sandbox-server/src/checks/runner.ts';
import { innerEngineClient } from '../../../sandbox-server/src/sandbox/dind/inner-engine.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import {
  type HostileEngine,
  type HostileMode,
  startHostileEngine,
} from '../helpers/hostile-engine.ts';

/**
 * A learner who swaps their dockerd for `socat … EXEC:'cat /dev/zero'` (or a trickle, or
 * silence) still gets an answer to Check within the check's deadline, saying what is wrong,
 * and the server hangs up on the fake engine instead of reading it without end.
 */

let engine: HostileEngine | undefined;

afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

async function sandboxFacing(mode: HostileMode): Promise<Sandbox> {
  engine = await startHostileEngine(mode);
  const socketPath = engine.socketPath;
  return {
    engine: (signal?: AbortSignal) => innerEngineClient(socketPath, { signal }),
  } as unknown as Sandbox;
}

function check(raw: Record<string, unknown>): Check {
  const lesson = lessonSchema.parse({
    order: 1,
    title: { en: 't' },
    steps: [{ id: 's', title: { en: 't' }, solution: 'true', hints: { en: ['h'] }, checks: [raw] }],
  });
  return lesson.steps[0]!.checks[0]!;
}

describe('a check against an engine the learner replaced', () => {
  it('says the engine flooded it, in both languages, instead of the lesson message', async () => {
    const sandbox = await sandboxFacing('flood');
    const outcome = await evaluateCheck(
      check({
        containers: { ancestor: 'nginx' },
        message: { en: 'start two nginx containers', ja: 'nginx を二つ起動してください' },
      }),
      sandbox,
      { retry: false },
    );
    expect(outcome.passed).toBe(false);
    expect(outcome.message.en).toMatch(
      /gave no usable answer .*more than 8 MiB.*reset the sandbox/,
    );
    expect(outcome.message.ja).toMatch(/使える応答がありませんでした/);
    await expect.poll(() => engine!.closed).toBe(engine!.connections);
    expect(engine!.bytesWritten).toBeLessThan(16 * 2 ** 20);
  });

  it('says the engine does not speak Docker when it answers with zeros', async () => {
    const sandbox = await sandboxFacing('zeros');
    const result = await runChecks([check({ image: 'nginx', within: 0.5 })], sandbox, {
      lang: 'en',
    });
    expect(result.passed).toBe(false);
    expect(result.checks[0]!.message).toMatch(/gave no usable answer/);
    await expect.poll(() => engine!.closed).toBe(engine!.connections);
  });

  it('answers at the check timeout when the engine never replies, and hangs up', async () => {
    const sandbox = await sandboxFacing('silent');
    const outcome = await evaluateCheck(check({ container: 'web', timeout: 1 }), sandbox, {
      retry: false,
    });
    expect(outcome.message.en).toMatch(/did not finish within 1 s/);
    // The attempt's signal cuts the call: no connection outlives the check.
    await expect.poll(() => engine!.closed).toBe(1);
  });

  it('answers at the check timeout when logs trickle in, and hangs up', async () => {
    const sandbox = await sandboxFacing('trickle');
    const outcome = await evaluateCheck(
      check({ logs: 'talker', contains: 'hello', timeout: 1 }),
      sandbox,
      { retry: false },
    );
    expect(outcome.passed).toBe(false);
    expect(outcome.message.ja).toMatch(/1 秒以内に終わりませんでした/);
    await expect.poll(() => engine!.closed).toBe(1);
  });
});
