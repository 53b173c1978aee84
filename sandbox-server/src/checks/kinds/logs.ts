import type { LogsCheck } from '../../contracts/lesson.ts';
import type { CheckContext } from '../context.ts';
import { demuxStream } from '../demux.ts';
import { isNotFound } from '../engine-errors.ts';
import { excerpt, fail, type Outcome, pass } from '../outcome.ts';

/**
 * `logs`: a container's logs (stdout, stderr or both) contain / match something. Only the last
 * `LOG_TAIL_LINES` lines are fetched (a learner's `yes` writes gigabytes), and the inner engine
 * client's byte budget bounds lines without end.
 */

export const LOG_TAIL_LINES = 2000;

/**
 * Evaluate a `logs` check once.
 *
 * @example
 * await checkLogs({ kind: 'logs', container: 'talker', contains: 'hello world' }, ctx)
 */
export async function checkLogs(check: LogsCheck, ctx: CheckContext): Promise<Outcome> {
  const container = ctx.docker.getContainer(check.container);
  let tty: boolean;
  try {
    tty = (await container.inspect()).Config.Tty;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return fail(
      `there should be a container named \`${check.container}\` to read logs from, but there is none`,
      `ログを読むコンテナ \`${check.container}\` が見つかりません`,
      `应该有一个名为 \`${check.container}\` 的容器可以读取日志，但找不到它`,
    );
  }
  const stream = check.stream ?? 'both';
  const raw = (await container.logs({
    stdout: stream !== 'stderr',
    stderr: stream !== 'stdout',
    follow: false,
    tail: LOG_TAIL_LINES,
  })) as unknown as Buffer;
  const { stdout, stderr } = demuxStream(Buffer.from(raw), tty);
  const text = stream === 'stderr' ? stderr : stream === 'stdout' ? stdout : stdout + stderr;
  const which = stream === 'both' ? 'logs' : `${stream} log`;
  const whichJa = stream === 'both' ? 'ログ' : `${stream} のログ`;
  const whichZh = stream === 'both' ? '日志' : ` ${stream} 日志`;
  const lastLines = excerpt(text.trim().split('\n').slice(-3).join(' / '));
  const tail = lastLines || 'nothing';
  const tailZh = lastLines || '（无输出）';
  if (check.contains !== undefined && !text.includes(check.contains)) {
    return fail(
      `the ${which} of \`${check.container}\` should contain "${check.contains}" but they end with: ${tail}`,
      `\`${check.container}\` の${whichJa}には "${check.contains}" が出るはずですが、最後の出力: ${tail}`,
      `\`${check.container}\` 的${whichZh}里应该出现 "${check.contains}"，但最后的输出是：${tailZh}`,
    );
  }
  if (check.matches !== undefined && !new RegExp(check.matches, 'm').test(text)) {
    return fail(
      `the ${which} of \`${check.container}\` should match /${check.matches}/ but they end with: ${tail}`,
      `\`${check.container}\` の${whichJa}は /${check.matches}/ に合うはずですが、最後の出力: ${tail}`,
      `\`${check.container}\` 的${whichZh}应该匹配 /${check.matches}/，但最后的输出是：${tailZh}`,
    );
  }
  if (check.contains === undefined && check.matches === undefined && text.trim() === '') {
    return fail(
      `container \`${check.container}\` should have written something to its ${which} but they are empty`,
      `コンテナ \`${check.container}\` の${whichJa}に出力があるはずですが、空です`,
      `容器 \`${check.container}\` 的${whichZh}里应该有输出，但它是空的`,
    );
  }
  return pass(
    `the ${which} of \`${check.container}\` show it`,
    `\`${check.container}\` の${whichJa}に出ています`,
    `\`${check.container}\` 的${whichZh}里有它`,
  );
}
