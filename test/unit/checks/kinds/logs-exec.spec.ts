import { describe, expect, it } from 'vitest';
import { checkExec, MAX_EXEC_OUTPUT } from '../../../../sandbox-server/src/checks/kinds/exec.ts';
import { checkLogs, LOG_TAIL_LINES } from '../../../../sandbox-server/src/checks/kinds/logs.ts';
import type { ExecOptions } from '../../../../sandbox-server/src/sandbox/driver.ts';
import { container, contextWith, type ExecResult, fakeEngine, frames } from './fake-engine.ts';

describe('logs checks', () => {
  const { docker, calls } = fakeEngine({
    containers: { mixed: container('mixed'), quiet: container('quiet') },
    logs: { mixed: frames([1, 'to stdout\n'], [2, 'to stderr\n']) },
  });
  const ctx = contextWith(docker);

  it('read one stream of the logs, asking only for their tail', async () => {
    const outcome = await checkLogs(
      { kind: 'logs', container: 'mixed', stream: 'stderr', contains: 'to stderr' },
      ctx,
    );
    expect(outcome.passed).toBe(true);
    expect(calls.logs.at(-1)).toMatchObject({ stdout: false, stderr: true, tail: LOG_TAIL_LINES });
  });

  it('show how the logs end when they lack the text', async () => {
    const outcome = await checkLogs({ kind: 'logs', container: 'mixed', contains: 'hello' }, ctx);
    expect(outcome.message.en).toBe(
      'the logs of `mixed` should contain "hello" but they end with: to stdout / to stderr',
    );
  });

  it('fail on empty logs and on a missing container', async () => {
    expect((await checkLogs({ kind: 'logs', container: 'quiet' }, ctx)).message.en).toMatch(
      /are empty/,
    );
    expect((await checkLogs({ kind: 'logs', container: 'nope' }, ctx)).message.en).toMatch(
      /there should be a container named `nope` to read logs from/,
    );
  });
});

describe('exec checks in the sandbox', () => {
  function sandboxAnswering(answer: (opts: ExecOptions | undefined) => Promise<ExecResult>) {
    const seen: (ExecOptions | undefined)[] = [];
    const exec = (_cmd: string[], opts?: ExecOptions) => {
      seen.push(opts);
      return answer(opts);
    };
    return { ctx: contextWith(fakeEngine({}).docker, { exec }), seen };
  }

  it('compare the exit code and the trimmed output, bounding what may be printed', async () => {
    const { ctx, seen } = sandboxAnswering(async () => ({
      exitCode: 0,
      stdout: '2\n',
      stderr: '',
    }));
    expect(
      (await checkExec({ kind: 'exec', run: 'docker ps -q | wc -l', stdout: '2' }, ctx)).passed,
    ).toBe(true);
    expect(seen[0]?.maxOutputBytes).toBe(MAX_EXEC_OUTPUT);
    const wrong = await checkExec({ kind: 'exec', run: 'true', exitCode: 1 }, ctx);
    expect(wrong.message.en).toBe('`true` should exit with 1 but it exited with 0');
  });

  it('say the command printed too much when the sandbox stopped it', async () => {
    const { ctx } = sandboxAnswering(async () => {
      throw Object.assign(new Error('printed more than 1 MiB'), { code: 'EMSGSIZE' });
    });
    const outcome = await checkExec({ kind: 'exec', run: 'yes' }, ctx);
    expect(outcome.passed).toBe(false);
    expect(outcome.message.en).toMatch(/^`yes` printed more than 1 MiB, so it was stopped/);
  });

  it('fail when the container to run in is missing', async () => {
    const { ctx } = sandboxAnswering(async () => ({ exitCode: 0, stdout: '', stderr: '' }));
    const outcome = await checkExec(
      { kind: 'exec', run: 'ls', container: 'gone' },
      {
        ...ctx,
        docker: {
          getContainer: () => ({
            exec: async () => {
              throw Object.assign(new Error('no such container'), { statusCode: 404 });
            },
          }),
        } as never,
      },
    );
    expect(outcome.message.en).toMatch(/there should be a running container `gone`/);
  });
});
