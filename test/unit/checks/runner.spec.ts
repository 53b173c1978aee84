import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { Check } from '#contracts/lesson.ts';
import { lessonSchema } from '#contracts/lesson.ts';
import { evaluateCheck, runChecks } from '../../../sandbox-server/src/checks/runner.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';

/** A pretend inner engine with one container whose inspect data the test controls. */
function fakeSandbox(
  containers: () => Record<string, unknown>,
  opts: { down?: boolean } = {},
): Sandbox {
  const engine = {
    getContainer: (name: string) => ({
      inspect: async () => {
        if (opts.down)
          throw Object.assign(new Error('connect ENOENT /run/handson/sandboxes/x/docker.sock'), {
            code: 'ENOENT',
          });
        const info = containers()[name];
        if (!info) throw Object.assign(new Error('no such container'), { statusCode: 404 });
        return info;
      },
    }),
    getImage: () => ({ inspect: async () => ({ Id: 'sha256:nginx' }) }),
  } as unknown as Docker;
  return { engine: () => engine } as unknown as Sandbox;
}

function container(status: string, exitCode = 0) {
  return {
    Name: '/web',
    Image: 'sha256:nginx',
    Config: { Image: 'nginx', Env: [], Labels: {} },
    State: { Status: status, ExitCode: exitCode },
    HostConfig: {},
    NetworkSettings: { Ports: {} },
  };
}

function check(raw: Record<string, unknown>): Check {
  const lesson = lessonSchema.parse({
    order: 1,
    title: { en: 't' },
    steps: [{ id: 's', title: { en: 't' }, solution: 'true', hints: { en: ['h'] }, checks: [raw] }],
  });
  return lesson.steps[0]!.checks[0]!;
}

describe('check messages', () => {
  const exited = fakeSandbox(() => ({ web: container('exited', 1) }));

  it('say what was expected and what was found, in English', async () => {
    const result = await runChecks(
      [check({ container: 'web', state: 'running', within: 0.1 })],
      exited,
      { lang: 'en' },
    );
    expect(result).toEqual({
      passed: false,
      checks: [
        { passed: false, message: 'container `web` should be running but it exited with code 1' },
      ],
    });
  });

  it('say the same in Japanese', async () => {
    const result = await runChecks(
      [check({ container: 'web', state: 'running', within: 0.1 })],
      exited,
      { lang: 'ja' },
    );
    expect(result.checks[0]!.message).toBe(
      'コンテナ `web` は running のはずですが、終了コード 1 で終了しています',
    );
  });

  it('use the lesson author’s message when the check fails, falling back to the other language', async () => {
    const custom = check({
      container: 'web',
      state: 'running',
      within: 0.1,
      message: { ja: 'web を起動してください' },
    });
    const result = await runChecks([custom], exited, { lang: 'en' });
    expect(result.checks[0]!.message).toBe('web を起動してください');
  });

  it('name a missing container', async () => {
    const result = await runChecks([check({ container: 'db', within: 0.1 })], exited, {
      lang: 'en',
    });
    expect(result.checks[0]!.message).toBe(
      'there should be a container named `db` but there is none (`docker ps -a` does not list it)',
    );
  });

  it('compare images by their normalised names', async () => {
    const running = fakeSandbox(() => ({ web: container('running') }));
    const outcome = await evaluateCheck(
      check({ container: 'web', image: 'docker.io/library/nginx:latest' }),
      running,
    );
    expect(outcome.passed).toBe(true);
  });
});

describe('the runner', () => {
  it('retries within the window, so a container that needs a moment passes', async () => {
    let calls = 0;
    const starting = fakeSandbox(() => ({ web: container(++calls < 3 ? 'created' : 'running') }));
    const outcome = await evaluateCheck(
      check({ container: 'web', state: 'running', within: 3 }),
      starting,
    );
    expect(outcome.passed).toBe(true);
    expect(calls).toBeGreaterThanOrEqual(3);
  });

  it('makes a single attempt when retry is off', async () => {
    let calls = 0;
    const starting = fakeSandbox(() => ({ web: container(++calls < 3 ? 'created' : 'running') }));
    const outcome = await evaluateCheck(check({ container: 'web', state: 'running' }), starting, {
      retry: false,
    });
    expect(outcome.passed).toBe(false);
    expect(calls).toBe(1);
  });

  it('turns an engine that is down into a failed check that says so', async () => {
    const down = fakeSandbox(() => ({}), { down: true });
    const result = await runChecks([check({ container: 'web', within: 0.1 })], down, {
      lang: 'en',
    });
    expect(result.passed).toBe(false);
    expect(result.checks[0]!.message).toMatch(
      /^the Docker engine in your sandbox is not answering/,
    );
  });
});
