import type { ExecCheck } from '../../contracts/lesson.ts';
import type { ExecResult } from '../../sandbox/driver.ts';
import type { CheckContext } from '../context.ts';
import { demuxStream } from '../demux.ts';
import { isNotFound } from '../engine-errors.ts';
import { excerpt, fail, type Outcome, pass } from '../outcome.ts';

/**
 * `exec`: `run` (via `sh -c`, in the sandbox or in a `container`) exits with `exitCode`
 * (default 0) and its stdout equals (trimmed) / contains / matches. What it prints is the
 * learner's (a `docker logs` of their chatty container): past `MAX_EXEC_OUTPUT` the command is
 * stopped and the check says so.
 */

export const MAX_EXEC_OUTPUT = 2 ** 20;

function tooMuchOutput(): Error {
  return Object.assign(new Error('too much output'), { code: 'EMSGSIZE' });
}

async function runInContainer(
  check: ExecCheck,
  ctx: CheckContext,
): Promise<ExecResult | undefined> {
  const container = ctx.docker.getContainer(check.container!);
  let exec: Awaited<ReturnType<typeof container.exec>>;
  try {
    exec = await container.exec({
      Cmd: ['sh', '-c', check.run],
      AttachStdout: true,
      AttachStderr: true,
    });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
      // Closing the stream leaves the command a broken pipe to write to.
      if (size > MAX_EXEC_OUTPUT) {
        reject(tooMuchOutput());
        stream.destroy();
      }
    });
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
    ctx.signal.addEventListener('abort', () => {
      stream.destroy();
      resolve();
    });
  });
  const { stdout, stderr } = demuxStream(Buffer.concat(chunks), false);
  const info = await exec.inspect();
  return { exitCode: info.ExitCode ?? -1, stdout, stderr };
}

/**
 * Evaluate an `exec` check once.
 *
 * @example
 * await checkExec({ kind: 'exec', run: 'docker ps -q | wc -l', stdout: '1' }, ctx)
 */
export async function checkExec(check: ExecCheck, ctx: CheckContext): Promise<Outcome> {
  const where = check.container ? ` in container \`${check.container}\`` : '';
  const whereJa = check.container ? `コンテナ \`${check.container}\` の中で` : '';
  const whereZh = check.container ? `在容器 \`${check.container}\` 中` : '';
  let result: ExecResult | undefined;
  try {
    result = check.container
      ? await runInContainer(check, ctx)
      : await ctx.sandbox.exec(['sh', '-c', check.run], {
          signal: ctx.signal,
          maxOutputBytes: MAX_EXEC_OUTPUT,
        });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EMSGSIZE') throw error;
    return fail(
      `\`${check.run}\`${where} printed more than 1 MiB, so it was stopped; make it print less (\`| tail\`, \`--tail\`) and check again`,
      `${whereJa}\`${check.run}\` の出力が 1 MiB を超えたので止めました。出力を減らして (\`| tail\`、\`--tail\` など) もう一度チェックしてください`,
      `${whereZh}运行的 \`${check.run}\` 输出超过了 1 MiB，已被终止。请减少输出（比如 \`| tail\`、\`--tail\`）后再检查一次`,
    );
  }
  if (!result) {
    return fail(
      `there should be a running container \`${check.container}\` to run \`${check.run}\` in, but there is none`,
      `\`${check.run}\` を実行するコンテナ \`${check.container}\` が見つかりません`,
      `应该有一个正在运行的容器 \`${check.container}\` 来执行 \`${check.run}\`，但找不到它`,
    );
  }
  const wantCode = check.exitCode ?? 0;
  const out = result.stdout.trim();
  const shown = excerpt(out) || 'nothing';
  const cmd = `\`${check.run}\`${where}`;
  const cmdJa = `${whereJa}\`${check.run}\``;
  const cmdZh = `${whereZh}运行的 \`${check.run}\``;
  const shownZh = excerpt(out) || '（空）';
  if (result.exitCode !== wantCode) {
    const err = excerpt(result.stderr.trim());
    return fail(
      `${cmd} should exit with ${wantCode} but it exited with ${result.exitCode}${err ? ` (${err})` : ''}`,
      `${cmdJa} は終了コード ${wantCode} で終わるはずですが、${result.exitCode} で終わりました${err ? ` (${err})` : ''}`,
      `${cmdZh}应该以退出码 ${wantCode} 结束，但实际退出码是 ${result.exitCode}${err ? `（${err}）` : ''}`,
    );
  }
  const equals = check.equals ?? check.stdout;
  if (equals !== undefined && out !== equals.trim()) {
    return fail(
      `${cmd} should print "${equals.trim()}" but it printed ${shown}`,
      `${cmdJa} は "${equals.trim()}" を出力するはずですが、出力は ${shown} です`,
      `${cmdZh}应该输出 "${equals.trim()}"，但实际输出是 ${shownZh}`,
    );
  }
  if (check.contains !== undefined && !result.stdout.includes(check.contains)) {
    return fail(
      `the output of ${cmd} should contain "${check.contains}" but it is ${shown}`,
      `${cmdJa} の出力には "${check.contains}" が含まれるはずですが、出力は ${shown} です`,
      `${cmdZh}的输出应该包含 "${check.contains}"，但实际输出是 ${shownZh}`,
    );
  }
  if (check.matches !== undefined && !new RegExp(check.matches, 'm').test(result.stdout)) {
    return fail(
      `the output of ${cmd} should match /${check.matches}/ but it is ${shown}`,
      `${cmdJa} の出力は /${check.matches}/ に合うはずですが、出力は ${shown} です`,
      `${cmdZh}的输出应该匹配 /${check.matches}/，但实际输出是 ${shownZh}`,
    );
  }
  return pass(
    `${cmd} gives ${shown}`,
    `${cmdJa} の出力は ${shown} です`,
    `${cmdZh}的输出是 ${shownZh}`,
  );
}
