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
      );
    return fail(
      `there should be a volume \`${check.name}\` but \`docker volume ls\` does not list it`,
      `ボリューム \`${check.name}\` があるはずですが、\`docker volume ls\` に出てきません`,
    );
  }
  if (check.exists === false) {
    return fail(
      `volume \`${check.name}\` should be removed but it still exists`,
      `ボリューム \`${check.name}\` は削除されているはずですが、まだあります`,
    );
  }
  const results: Outcome[] = [
    pass(`volume \`${check.name}\` exists`, `ボリューム \`${check.name}\` があります`),
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
          ),
        );
      }
    }
  }
  return combine(results);
}
