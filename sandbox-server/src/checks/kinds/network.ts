import type { NetworkCheck } from '../../contracts/lesson.ts';
import type { CheckContext } from '../context.ts';
import { isNotFound } from '../engine-errors.ts';
import { combine, fail, type Outcome, pass } from '../outcome.ts';

/** `network`: a network exists, with `driver` and `containers` attached (subset). */

/**
 * Evaluate a `network` check once.
 *
 * @example
 * await checkNetwork({ kind: 'network', name: 'app', driver: 'bridge', containers: ['web'] }, ctx)
 */
export async function checkNetwork(check: NetworkCheck, ctx: CheckContext): Promise<Outcome> {
  let info: { Driver: string; Containers?: Record<string, { Name: string }> };
  try {
    info = await ctx.docker.getNetwork(check.name).inspect();
  } catch (error) {
    if (!isNotFound(error)) throw error;
    if (check.exists === false)
      return pass(
        `network \`${check.name}\` is gone`,
        `ネットワーク \`${check.name}\` は削除されています`,
        `网络 \`${check.name}\` 已删除`,
      );
    return fail(
      `there should be a network \`${check.name}\` but \`docker network ls\` does not list it`,
      `ネットワーク \`${check.name}\` があるはずですが、\`docker network ls\` に出てきません`,
      `应该有网络 \`${check.name}\`，但 \`docker network ls\` 没有列出它`,
    );
  }
  if (check.exists === false) {
    return fail(
      `network \`${check.name}\` should be removed but it still exists`,
      `ネットワーク \`${check.name}\` は削除されているはずですが、まだあります`,
      `网络 \`${check.name}\` 应该已被删除，但它还在`,
    );
  }
  const results: Outcome[] = [
    pass(
      `network \`${check.name}\` exists`,
      `ネットワーク \`${check.name}\` があります`,
      `网络 \`${check.name}\` 存在`,
    ),
  ];
  if (check.driver !== undefined && info.Driver !== check.driver) {
    results.push(
      fail(
        `network \`${check.name}\` should use driver ${check.driver} but it uses ${info.Driver}`,
        `ネットワーク \`${check.name}\` のドライバーは ${check.driver} のはずですが、${info.Driver} です`,
        `网络 \`${check.name}\` 应该使用 ${check.driver} 驱动，但实际使用的是 ${info.Driver}`,
      ),
    );
  }
  const attached = Object.values(info.Containers ?? {}).map((c) => c.Name);
  for (const name of check.containers ?? []) {
    if (!attached.includes(name)) {
      results.push(
        fail(
          `container \`${name}\` should be attached to network \`${check.name}\` but ${attached.length ? `only ${attached.join(', ')} are` : 'no container is'}`,
          `コンテナ \`${name}\` はネットワーク \`${check.name}\` につながっているはずですが、${attached.length ? `つながっているのは ${attached.join(', ')} です` : 'どのコンテナもつながっていません'}`,
          `容器 \`${name}\` 应该连接到网络 \`${check.name}\`，但${attached.length ? `连接着的只有 ${attached.join(', ')}` : '没有任何容器连接到它'}`,
        ),
      );
    }
  }
  return combine(results);
}
