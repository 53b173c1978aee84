import type { VolumeCheck } from '../../contracts/lesson.ts';
import type { CheckContext } from '../context.ts';
import { isNotFound } from '../engine-errors.ts';
import { combine, fail, type Outcome, pass } from '../outcome.ts';

/** `volume`: a volume exists, and the named containers mount it (subset). */

/**
 * Evaluate a `volume` check once: the volume exists and the named containers mount it.
 *
 * @example
 * await checkVolume({ kind: 'volume', name: 'data', containers: ['db'] }, ctx)
 */
export async function checkVolume(check: VolumeCheck, ctx: CheckContext): Promise<Outcome> {
  try {
    await ctx.docker.getVolume(check.name).inspect();
  } catch (error) {
    if (!isNotFound(error)) throw error;
    if (check.exists === false)
      return pass(
        `volume \`${check.name}\` is gone`,
        `ボリューム \`${check.name}\` は削除されています`,
        `数据卷 \`${check.name}\` 已删除`,
      );
    return fail(
      `there should be a volume \`${check.name}\` but \`docker volume ls\` does not list it`,
      `ボリューム \`${check.name}\` があるはずですが、\`docker volume ls\` に出てきません`,
      `应该有数据卷 \`${check.name}\`，但 \`docker volume ls\` 没有列出它`,
    );
  }
  if (check.exists === false) {
    return fail(
      `volume \`${check.name}\` should be removed but it still exists`,
      `ボリューム \`${check.name}\` は削除されているはずですが、まだあります`,
      `数据卷 \`${check.name}\` 应该已被删除，但它还在`,
    );
  }
  const results: Outcome[] = [
    pass(
      `volume \`${check.name}\` exists`,
      `ボリューム \`${check.name}\` があります`,
      `数据卷 \`${check.name}\` 存在`,
    ),
  ];
  if (check.containers?.length) {
    const users = await ctx.docker.listContainers({ all: true, filters: { volume: [check.name] } });
    const names = users.flatMap((c) => c.Names.map((n) => n.replace(/^\//, '')));
    for (const name of check.containers) {
      if (!names.includes(name)) {
        results.push(
          fail(
            `container \`${name}\` should mount volume \`${check.name}\` but ${names.length ? `only ${names.join(', ')} do` : 'no container does'}`,
            `コンテナ \`${name}\` はボリューム \`${check.name}\` をマウントしているはずですが、${names.length ? `マウントしているのは ${names.join(', ')} です` : 'どのコンテナもマウントしていません'}`,
            `容器 \`${name}\` 应该挂载数据卷 \`${check.name}\`，但${names.length ? `挂载它的只有 ${names.join(', ')}` : '没有任何容器挂载它'}`,
          ),
        );
      }
    }
  }
  return combine(results);
}
