import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '#contracts/lesson.ts';
import { evaluateCheck } from '../../../sandbox-server/src/checks/runner.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import { sh, startSandbox } from './sandbox-fixture.ts';

let sandbox: Sandbox;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ sandbox, stop } = await startSandbox('within'));
  await sh(sandbox, 'docker pull -q busybox >/dev/null');
});

afterAll(async () => {
  await stop?.();
});

describe('the within window', () => {
  it('absorbs a container that needs a moment to appear', async () => {
    // The container is started two seconds from now, in the background.
    await sh(
      sandbox,
      "setsid sh -c 'sleep 2; docker run -d --name late busybox sleep 300' >/dev/null 2>&1 &",
    );
    const late: Check = { kind: 'container', name: 'late', state: 'running' };
    const impatient = await evaluateCheck({ ...late, within: 0.2 }, sandbox);
    expect(impatient.passed).toBe(false);
    const patient = await evaluateCheck({ ...late, within: 10 }, sandbox);
    expect(patient).toEqual({
      passed: true,
      message: {
        en: 'container `late` is running',
        ja: 'コンテナ `late` は running です',
        zh: '容器 `late` 处于 running 状态',
      },
    });
  });
});
