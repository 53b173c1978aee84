import type { FileCheck } from '../../contracts/lesson.ts';
import type { CheckContext } from '../context.ts';
import { excerpt, fail, type Outcome, pass } from '../outcome.ts';

/** `file`: a workspace file exists / contains / matches. */

/**
 * Evaluate a `file` check once.
 *
 * @example
 * await checkFile({ kind: 'file', path: 'Dockerfile', contains: 'FROM debian' }, ctx)
 */
export async function checkFile(check: FileCheck, ctx: CheckContext): Promise<Outcome> {
  const body = await ctx.sandbox.readFile(check.path).then(
    (buffer) => buffer.toString('utf8'),
    () => undefined,
  );
  const where = `~/work/${check.path}`;
  if (body === undefined) {
    if (check.exists === false)
      return pass(`${where} does not exist`, `${where} はありません`, `${where} 不存在`);
    return fail(
      `there should be a file ${where} but there is none`,
      `ファイル ${where} があるはずですが、見つかりません`,
      `应该有文件 ${where}，但找不到它`,
    );
  }
  if (check.exists === false) {
    return fail(
      `${where} should not exist but it does`,
      `${where} はないはずですが、あります`,
      `${where} 不应该存在，但它还在`,
    );
  }
  const shown = excerpt(body) || 'empty';
  const shownZh = excerpt(body) || '（空）';
  if (check.contains !== undefined && !body.includes(check.contains)) {
    return fail(
      `${where} should contain "${check.contains}" but it reads: ${shown}`,
      `${where} には "${check.contains}" が含まれるはずですが、内容: ${shown}`,
      `${where} 应该包含 "${check.contains}"，但它的内容是：${shownZh}`,
    );
  }
  if (check.matches !== undefined && !new RegExp(check.matches, 'm').test(body)) {
    return fail(
      `${where} should match /${check.matches}/ but it reads: ${shown}`,
      `${where} は /${check.matches}/ に合うはずですが、内容: ${shown}`,
      `${where} 应该匹配 /${check.matches}/，但它的内容是：${shownZh}`,
    );
  }
  return pass(`${where} is as expected`, `${where} は期待どおりです`, `${where} 符合预期`);
}
