import http from 'node:http';
import type { HttpCheck } from '../../contracts/lesson.ts';
import type { Sandbox } from '../../sandbox/driver.ts';
import type { CheckContext } from '../context.ts';
import { excerpt, fail, type Outcome, pass } from '../outcome.ts';

/**
 * `http`: from inside the sandbox, `http://127.0.0.1:<port><path>` answers `status` (default
 * 200) and its body contains / matches. The request rides a byte stream the driver opens to
 * the sandbox's loopback, so ports published on 127.0.0.1 count too.
 */

const MAX_BODY = 256 * 1024;

/**
 * GET a path on the sandbox's loopback.
 *
 * @example
 * const { status, body } = await sandboxGet(sandbox, 8080, '/', signal);
 */
export async function sandboxGet(
  sandbox: Sandbox,
  port: number,
  path: string,
  signal: AbortSignal,
): Promise<{ status: number; body: string }> {
  const socket = await sandbox.connect(port);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        method: 'GET',
        host: '127.0.0.1',
        port,
        path,
        signal,
        headers: { connection: 'close', 'user-agent': 'handson-check' },
        createConnection: () => socket as never,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const answer = () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          // The learner's server may never stop: judge the first MAX_BODY bytes and hang up.
          if (size >= MAX_BODY) {
            answer();
            socket.destroy();
          }
        });
        res.on('end', answer);
        res.on('error', reject);
      },
    );
    req.on('error', (error) => {
      socket.destroy();
      reject(error);
    });
    req.end();
  });
}

/**
 * Evaluate an `http` check once.
 *
 * @example
 * await checkHttp({ kind: 'http', port: 8080, contains: 'Welcome' }, ctx)
 */
export async function checkHttp(check: HttpCheck, ctx: CheckContext): Promise<Outcome> {
  const path = check.path ?? '/';
  const url = `http://127.0.0.1:${check.port}${path}`;
  let answer: { status: number; body: string };
  try {
    answer = await sandboxGet(ctx.sandbox, check.port, path, ctx.signal);
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const code = (error as NodeJS.ErrnoException).code;
    // The sandbox side closes at once when nothing accepts the connection: a hang-up, or a
    // reset when it closed before reading the request.
    const refused = raw === 'socket hang up' || code === 'ECONNRESET' || code === 'EPIPE';
    const reason = refused ? 'connection refused' : raw;
    return fail(
      `${url} should answer but nothing is listening there (${excerpt(reason, 60)}); is a container publishing port ${check.port}?`,
      `${url} が応答するはずですが、接続できません (${excerpt(reason, 60)})。ポート ${check.port} を公開しているコンテナはありますか?`,
      `${url} 应该有应答，但那里没有程序在监听（${excerpt(reason, 60)}）。有容器发布了端口 ${check.port} 吗？`,
    );
  }
  const want = check.status ?? 200;
  if (answer.status !== want) {
    return fail(
      `${url} should answer ${want} but it answered ${answer.status}`,
      `${url} はステータス ${want} を返すはずですが、${answer.status} を返しました`,
      `${url} 应该返回状态码 ${want}，但实际返回了 ${answer.status}`,
    );
  }
  const text = excerpt(answer.body.replace(/<[^>]*>/g, ' '));
  const shown = text || 'an empty page';
  const shownZh = text || '（空白页面）';
  if (check.contains !== undefined && !answer.body.includes(check.contains)) {
    return fail(
      `the page at ${url} should contain "${check.contains}" but it shows: ${shown}`,
      `${url} のページには "${check.contains}" が含まれるはずですが、内容: ${shown}`,
      `${url} 的页面应该包含 "${check.contains}"，但页面内容是：${shownZh}`,
    );
  }
  if (check.matches !== undefined && !new RegExp(check.matches, 'm').test(answer.body)) {
    return fail(
      `the page at ${url} should match /${check.matches}/ but it shows: ${shown}`,
      `${url} のページは /${check.matches}/ に合うはずですが、内容: ${shown}`,
      `${url} 的页面应该匹配 /${check.matches}/，但页面内容是：${shownZh}`,
    );
  }
  return pass(
    `${url} answers ${answer.status}`,
    `${url} は ${answer.status} を返します`,
    `${url} 返回了 ${answer.status}`,
  );
}
