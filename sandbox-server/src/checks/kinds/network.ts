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
      );
    return fail(
      `there should be a network \`${check.name}\` but \`docker network ls\` does not list it`,
      `ネットワーク \`${check.name}\` があるはずですが、\`docker network ls\` に出てきません`,
    );
  }
  if (check.exists === false) {
    return fail(
      `network \`${check.name}\` should be removed but it still exists`,
      `ネットワーク \`${check.name}\` は削除されているはずですが、まだあります`,
    );
  }
  const results: Outcome[] = [
    pass(`network \`${check.name}\` exists`, `ネットワーク \`${check.name}\` があります`),
  ];
  if (check.driver !== undefined && info.Driver !== check.driver) {
    results.push(
      fail(
        `network \`${check.name}\` should use driver ${check.driver} but it uses ${info.Driver}`,
        `ネットワーク \`${check.name}\` のドライバーは ${check.driver} のはずですが、${info.Driver} です`,
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
        ),
      );
    }
  }
  return combine(results);
}
