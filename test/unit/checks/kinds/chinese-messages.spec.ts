import { describe, expect, it } from 'vitest';
import { errorOutcome } from '../../../../sandbox-server/src/checks/engine-errors.ts';
import { checkContainer } from '../../../../sandbox-server/src/checks/kinds/container.ts';
import { checkDiff } from '../../../../sandbox-server/src/checks/kinds/diff.ts';
import { checkExec } from '../../../../sandbox-server/src/checks/kinds/exec.ts';
import { checkFile } from '../../../../sandbox-server/src/checks/kinds/file.ts';
import { checkHistory } from '../../../../sandbox-server/src/checks/kinds/history.ts';
import { checkImage } from '../../../../sandbox-server/src/checks/kinds/image.ts';
import { checkInspect } from '../../../../sandbox-server/src/checks/kinds/inspect.ts';
import { checkLogs } from '../../../../sandbox-server/src/checks/kinds/logs.ts';
import { checkNetwork } from '../../../../sandbox-server/src/checks/kinds/network.ts';
import { checkVolume } from '../../../../sandbox-server/src/checks/kinds/volume.ts';
import type { Outcome } from '../../../../sandbox-server/src/checks/outcome.ts';
import { chineseProblems } from '../../helpers/chinese-text.ts';
import { container, contextWith, fakeEngine, frames } from './fake-engine.ts';

// A learner reading Chinese gets every generated failure in Chinese: Han characters, no
// Japanese kana, and both what the check expected and what it found.

const { docker } = fakeEngine({
  containers: {
    done: container('done', { State: { Status: 'exited', ExitCode: 3 } }),
    talker: container('talker'),
  },
  images: { app: { Id: 'sha256:0123456789abcdef0123', Config: { Cmd: ['sh'], Env: [] } } },
  networks: { app: { Driver: 'bridge', Containers: { a: { Name: 'web' } } } },
  volumes: { data: {} },
  mounts: { data: ['db'] },
  logs: { talker: frames([1, 'booting\n'], [1, 'listening on 80\n']) },
  changes: { done: [{ Path: '/tmp/a', Kind: 0 }] },
});
const ctx = contextWith(docker, {
  readFile: async () => Buffer.from('FROM debian\n'),
  readHistory: async () => '#1700000000\nls -l\n',
  exec: async () => ({ exitCode: 0, stdout: 'one\n', stderr: '' }),
});

/** Each failing check, with values its Chinese message must name (expected, then found). */
const failures: [string, () => Promise<Outcome>, string[]][] = [
  [
    'container state',
    () => checkContainer({ kind: 'container', name: 'done', state: 'running' }, ctx),
    ['running', '3'],
  ],
  [
    'missing container',
    () => checkContainer({ kind: 'container', name: 'web' }, ctx),
    ['`web`', 'docker ps -a'],
  ],
  [
    'diff',
    () => checkDiff({ kind: 'diff', container: 'done', added: ['/tmp/a'] }, ctx),
    ['/tmp/a'],
  ],
  [
    'exec output',
    () => checkExec({ kind: 'exec', run: 'cat n', stdout: 'two' } as never, ctx),
    ['"two"', 'one'],
  ],
  [
    'file content',
    () => checkFile({ kind: 'file', path: 'Dockerfile', contains: 'CMD' }, ctx),
    ['"CMD"', 'FROM debian'],
  ],
  [
    'history',
    () => checkHistory({ kind: 'history', matches: 'docker ps' }, ctx),
    ['/docker ps/', 'ls -l'],
  ],
  [
    'image cmd',
    () => checkImage({ kind: 'image', ref: 'app', cmd: ['top'] }, ctx),
    ['["top"]', '["sh"]'],
  ],
  [
    'inspect',
    () =>
      checkInspect(
        { kind: 'inspect', container: 'done', path: 'State.Status', equals: 'running' },
        ctx,
      ),
    ['running', 'exited'],
  ],
  [
    'logs',
    () => checkLogs({ kind: 'logs', container: 'talker', contains: 'ready' }, ctx),
    ['"ready"', 'listening on 80'],
  ],
  [
    'network',
    () => checkNetwork({ kind: 'network', name: 'app', driver: 'overlay' }, ctx),
    ['overlay', 'bridge'],
  ],
  [
    'volume',
    () => checkVolume({ kind: 'volume', name: 'data', containers: ['web'] }, ctx),
    ['`data`', 'db'],
  ],
];

describe('check messages in Chinese', () => {
  it.each(failures)('%s: a failure says expected and found in Chinese', async (_, run, values) => {
    const outcome = await run();
    expect(outcome.passed).toBe(false);
    expect(chineseProblems(outcome.message.zh)).toEqual([]);
    for (const value of values) expect(outcome.message.zh).toContain(value);
  });

  it('an engine that does not answer is explained in Chinese too', () => {
    const outcome = errorOutcome(Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' }));
    expect(chineseProblems(outcome.message.zh)).toEqual([]);
    expect(outcome.message.zh).toContain('重置沙箱');
  });
});
