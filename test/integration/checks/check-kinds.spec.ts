import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Check, lessonSchema } from '#contracts/lesson.ts';
import { evaluateCheck } from '../../../sandbox-server/src/checks/runner.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import { SolutionTypist } from '../../../sandbox-server/src/solutions/solution-runner.ts';
import { openTerminal } from '../../../sandbox-server/src/terminal/open-terminal.ts';
import { sh, startSandbox } from './sandbox-fixture.ts';

/** Parse one check the way lesson.yaml writes it. */
function check(raw: Record<string, unknown>): Check {
  const lesson = lessonSchema.parse({
    order: 1,
    title: { en: 't' },
    steps: [{ id: 's', title: { en: 't' }, solution: 'true', hints: { en: ['h'] }, checks: [raw] }],
  });
  return lesson.steps[0]!.checks[0]!;
}

let sandbox: Sandbox;
let stop: () => Promise<void>;

async function outcome(raw: Record<string, unknown>) {
  return evaluateCheck(check({ within: 0.5, ...raw }), sandbox);
}

beforeAll(async () => {
  ({ sandbox, stop } = await startSandbox('check-kinds'));
  await sh(
    sandbox,
    [
      'docker pull -q busybox >/dev/null',
      `docker run -d --name web -p 127.0.0.1:8080:80 -e GREETING=hi -l team=blue busybox sh -c 'mkdir /www && echo Welcome > /www/index.html && exec httpd -f -p 80 -h /www'`,
      // Exits 3 on purpose; `|| true` keeps the setup chain going.
      `{ docker run --name failer busybox sh -c 'echo out; echo err >&2; exit 3' || true; }`,
      `docker run --name changer busybox sh -c 'mkdir /added && rm /bin/ls'`,
      'docker network create appnet >/dev/null && docker network connect appnet web',
      'docker volume create data >/dev/null && docker run -d --name db -v data:/data busybox sleep 300 >/dev/null',
      `docker commit -c 'ENV A=1' -c 'CMD ["sh"]' -c 'EXPOSE 9000' -c 'WORKDIR /srv' changer changed:v1 >/dev/null`,
    ].join(' && '),
  );
  await sandbox.writeFile('notes.txt', Buffer.from('hello file\n'));
  const term = await openTerminal(sandbox, { id: 'kinds' });
  const typist = new SolutionTypist(term);
  await typist.prepare();
  await typist.run('docker ps -a');
  await term.close();
});

afterAll(async () => {
  await stop?.();
});

describe('container checks', () => {
  it('pass for a running container with its image, ports, labels and env', async () => {
    const result = await outcome({
      container: 'web',
      state: 'running',
      image: 'docker.io/library/busybox:latest',
      ports: { '80/tcp': '127.0.0.1:8080' },
      labels: { team: 'blue' },
      env: { GREETING: 'hi' },
    });
    expect(result.passed).toBe(true);
  });

  it('say which state was expected and which was found, in every language', async () => {
    const result = await outcome({ container: 'failer', state: 'running' });
    expect(result).toEqual({
      passed: false,
      message: {
        en: 'container `failer` should be running but it exited with code 3',
        ja: 'コンテナ `failer` は running のはずですが、終了コード 3 で終了しています',
        zh: '容器 `failer` 应该处于 running 状态，但它已退出，退出码为 3',
      },
    });
  });

  it('count containers matching filters', async () => {
    expect(
      (await outcome({ containers: { ancestor: 'busybox', status: 'exited' }, count: 2 })).passed,
    ).toBe(true);
    const wrong = await outcome({
      containers: { ancestor: 'busybox', status: 'exited' },
      count: 5,
    });
    expect(wrong.message.en).toBe(
      'there should be 5 container(s) matching ancestor=busybox status=exited but there are 2',
    );
    expect(wrong.message.ja).toBe(
      'ancestor=busybox status=exited に合うコンテナは 5 個のはずですが、2 個です',
    );
  });

  it('check that a container was removed', async () => {
    expect((await outcome({ container: 'ghost', exists: false })).passed).toBe(true);
    const result = await outcome({ container: 'failer', exists: false });
    expect(result.message.en).toBe(
      'container `failer` should be removed but it still exists (it exited with code 3)',
    );
  });
});

describe('diff checks', () => {
  it('find added, changed and deleted paths', async () => {
    expect(
      (
        await outcome({
          diff: 'changer',
          added: ['/added'],
          deleted: ['/bin/ls'],
          changed: ['/bin'],
        })
      ).passed,
    ).toBe(true);
  });

  it('say what docker diff lists instead', async () => {
    const result = await outcome({ diff: 'changer', deleted: ['/added'] });
    expect(result.message).toEqual({
      en: '`docker diff changer` should list /added as deleted but it lists it as added',
      ja: '`docker diff changer` には /added が削除 (D)として出るはずですが、追加 (A)として出ています',
      zh: '`docker diff changer` 应该把 /added 列为删除（D），但它被列为新增（A）',
    });
  });
});

describe('inspect checks', () => {
  it('follow dotted paths with numeric indexes', async () => {
    const result = await outcome({
      inspect: { container: 'web', path: 'NetworkSettings.Ports.80/tcp.0.HostPort', equals: 8080 },
    });
    expect(result.passed).toBe(true);
  });

  it('work on images, networks and volumes too', async () => {
    expect(
      (
        await outcome({
          inspect: { image: 'changed:v1', path: 'Config.WorkingDir', equals: '/srv' },
        })
      ).passed,
    ).toBe(true);
    expect(
      (await outcome({ inspect: { network: 'appnet', path: 'Driver', equals: 'bridge' } })).passed,
    ).toBe(true);
    expect(
      (
        await outcome({
          inspect: { volume: 'data', path: 'Mountpoint', matches: '/volumes/data/_data$' },
        })
      ).passed,
    ).toBe(true);
  });

  it('say what was found when the value differs', async () => {
    const result = await outcome({
      inspect: { container: 'web', path: 'Config.Hostname', equals: 'box' },
    });
    expect(result.message.en).toMatch(
      /^container `web`'s Config.Hostname should be box but it is [0-9a-f]{12}$/,
    );
    expect(result.message.ja).toMatch(
      /^コンテナ `web` の Config.Hostname は box のはずですが、[0-9a-f]{12} です$/,
    );
  });
});

describe('image checks', () => {
  it('pass for the committed image with its config', async () => {
    const result = await outcome({
      image: 'changed:v1',
      env: { A: '1' },
      cmd: ['sh'],
      exposed: [9000],
      workdir: '/srv',
      layers: { min: 2 },
    });
    expect(result.passed).toBe(true);
  });

  it('name an image that is not there', async () => {
    const result = await outcome({ image: 'cowsay' });
    expect(result.message).toEqual({
      en: 'there should be an image `cowsay` but `docker images` does not list it',
      ja: 'イメージ `cowsay` があるはずですが、`docker images` に出てきません',
      zh: '应该有镜像 `cowsay`，但 `docker images` 没有列出它',
    });
  });
});

describe('logs checks', () => {
  it('read stdout and stderr separately', async () => {
    expect(
      (await outcome({ logs: { container: 'failer', stream: 'stderr', contains: 'err' } })).passed,
    ).toBe(true);
    const result = await outcome({
      logs: { container: 'failer', stream: 'stderr', contains: 'out' },
    });
    expect(result.message.en).toBe(
      'the stderr log of `failer` should contain "out" but they end with: err',
    );
  });
});

describe('exec checks', () => {
  it('run in the sandbox and compare trimmed stdout', async () => {
    expect((await outcome({ exec: 'docker ps -q | wc -l', stdout: '2' })).passed).toBe(true);
  });

  it('run inside a container', async () => {
    expect(
      (await outcome({ exec: { container: 'db', run: 'ls /data && echo ok', stdout: 'ok' } }))
        .passed,
    ).toBe(true);
  });

  it('report the exit code and stderr of a failing command', async () => {
    const result = await outcome({ exec: 'ls /nowhere' });
    expect(result.message.en).toMatch(
      /^`ls \/nowhere` should exit with 0 but it exited with [12] \(.*No such file/,
    );
  });
});

describe('http checks', () => {
  it('reach a port published on the sandbox loopback', async () => {
    expect((await outcome({ http: { port: 8080, contains: 'Welcome' } })).passed).toBe(true);
  });

  it('say when nothing listens', async () => {
    const result = await outcome({ http: { port: 8081 } });
    expect(result.passed).toBe(false);
    expect(result.message.en).toMatch(
      /^http:\/\/127\.0\.0\.1:8081\/ should answer but nothing is listening there/,
    );
    expect(result.message.ja).toMatch(/ポート 8081 を公開しているコンテナはありますか/);
  });

  it('compare the status', async () => {
    const result = await outcome({ http: { port: 8080, path: '/missing.html' } });
    expect(result.message.en).toBe(
      'http://127.0.0.1:8080/missing.html should answer 200 but it answered 404',
    );
  });
});

describe('network and volume checks', () => {
  it('see attached containers and mounts', async () => {
    expect(
      (await outcome({ network: 'appnet', driver: 'bridge', containers: ['web'] })).passed,
    ).toBe(true);
    expect((await outcome({ volume: 'data', containers: ['db'] })).passed).toBe(true);
  });

  it('name what is missing', async () => {
    const net = await outcome({ network: 'appnet', containers: ['db'] });
    expect(net.message.en).toBe(
      'container `db` should be attached to network `appnet` but only web are',
    );
    const vol = await outcome({ volume: 'cache' });
    expect(vol.message.ja).toBe(
      'ボリューム `cache` があるはずですが、`docker volume ls` に出てきません',
    );
  });
});

describe('file and history checks', () => {
  it('read workspace files', async () => {
    expect((await outcome({ file: 'notes.txt', contains: 'hello' })).passed).toBe(true);
    const missing = await outcome({ file: 'Dockerfile' });
    expect(missing.message.en).toBe('there should be a file ~/work/Dockerfile but there is none');
  });

  it('read the commands typed in a terminal', async () => {
    expect((await outcome({ history: 'docker\\s+ps\\s+-a' })).passed).toBe(true);
    const result = await outcome({ history: 'docker\\s+top' });
    expect(result.message.en).toMatch(
      /^you should run a command matching \/docker\\s\+top\/ in the terminal, but the last command was `docker ps -a`$/,
    );
  });

  it('count only the commands of the current step when they know when it began', async () => {
    const later = await evaluateCheck(
      check({ within: 0.5, history: 'docker\\s+ps\\s+-a' }),
      sandbox,
      {
        historySince: Date.now(),
      },
    );
    expect(later.passed).toBe(false);
    expect(later.message.en).toMatch(/during this step; you ran one before, run it again now$/);
    expect(later.message.ja).toMatch(/以前の実行は数えません/);
  });
});
