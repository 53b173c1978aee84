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
  const tail = excerpt(text.trim().split('\n').slice(-3).join(' / ')) || 'nothing';
  if (check.contains !== undefined && !text.includes(check.contains)) {
    return fail(
      `the ${which} of \`${check.container}\` should contain "${check.contains}" but they end with: ${tail}`,
      `\`${check.container}\` の${whichJa}には "${check.contains}" が出るはずですが、最後の出力: ${tail}`,
    );
  }
  if (check.matches !== undefined && !new RegExp(check.matches, 'm').test(text)) {
    return fail(
      `the ${which} of \`${check.container}\` should match /${check.matches}/ but they end with: ${tail}`,
      `\`${check.container}\` の${whichJa}は /${check.matches}/ に合うはずですが、最後の出力: ${tail}`,
    );
  }
  if (check.contains === undefined && check.matches === undefined && text.trim() === '') {
    return fail(
      `container \`${check.container}\` should have written something to its ${which} but they are empty`,
      `コンテナ \`${check.container}\` の${whichJa}に出力があるはずですが、空です`,
    );
  }
  return pass(
    `the ${which} of \`${check.container}\` show it`,
    `\`${check.container}\` の${whichJa}に出ています`,
  );
}
