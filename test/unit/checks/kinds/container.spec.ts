import { describe, expect, it } from 'vitest';
import { checkContainer } from '../../../../sandbox-server/src/checks/kinds/container.ts';
import { container, contextWith, fakeEngine } from './fake-engine.ts';

describe('container checks', () => {
  const { docker } = fakeEngine({
    containers: {
      web: container('web', {
        NetworkSettings: { Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] } },
      }),
      done: container('done', { State: { Status: 'exited', ExitCode: 3 } }),
    },
    images: { nginx: { Id: 'sha256:nginx' } },
  });
  const ctx = contextWith(docker);

  it('pass when the named container has the state, image and port asked for', async () => {
    const outcome = await checkContainer(
      { kind: 'container', name: 'web', state: 'running', image: 'nginx', ports: { 80: 8080 } },
      ctx,
    );
    expect(outcome.passed).toBe(true);
  });

  it('say how a container differs from what was asked', async () => {
    const outcome = await checkContainer(
      { kind: 'container', name: 'done', state: 'running' },
      ctx,
    );
    expect(outcome).toEqual({
      passed: false,
      message: {
        en: 'container `done` should be running but it exited with code 3',
        ja: 'コンテナ `done` は running のはずですが、終了コード 3 で終了しています',
        zh: '容器 `done` 应该处于 running 状态，但它已退出，退出码为 3',
      },
    });
  });

  it('tell a missing container from a removed one', async () => {
    const missing = await checkContainer({ kind: 'container', name: 'gone' }, ctx);
    expect(missing.message.en).toMatch(/there should be a container named `gone`/);
    const removed = await checkContainer({ kind: 'container', name: 'gone', exists: false }, ctx);
    expect(removed.passed).toBe(true);
  });

  it('count the containers that match filters and properties', async () => {
    const two = await checkContainer(
      { kind: 'container', filters: { ancestor: 'nginx' }, count: 2 },
      ctx,
    );
    expect(two.passed).toBe(true);
    const running = await checkContainer(
      { kind: 'container', filters: { ancestor: 'nginx' }, state: 'running', count: 2 },
      ctx,
    );
    expect(running.message.en).toMatch(/should be 2 container\(s\) .* but there are 1/);
  });
});
