import type { ImageCheck } from '../../contracts/lesson.ts';
import type { CheckContext } from '../context.ts';
import { isNotFound } from '../engine-errors.ts';
import { combine, excerpt, fail, type Outcome, pass } from '../outcome.ts';

/** `image`: an image exists, with the expected env / cmd / entrypoint / exposed / workdir / user / layers. */

function argvText(value: string[] | null | undefined, none = 'nothing'): string {
  return value && value.length > 0 ? JSON.stringify(value) : none;
}

/** A CMD/ENTRYPOINT matches: the same argv, or the shell form `sh -c "<text>"` / the words of the text. */
export function argvMatches(found: string[] | null | undefined, want: string | string[]): boolean {
  const argv = found ?? [];
  if (Array.isArray(want)) return JSON.stringify(argv) === JSON.stringify(want);
  if (argv.length === 3 && argv[0] === '/bin/sh' && argv[1] === '-c') return argv[2] === want;
  return argv.join(' ') === want;
}

function countOk(n: number, want: ImageCheck['layers']): boolean {
  if (typeof want === 'number') return n === want;
  return n >= (want?.min ?? 0) && n <= (want?.max ?? Number.POSITIVE_INFINITY);
}

/**
 * Evaluate an `image` check once.
 *
 * @example
 * await checkImage({ kind: 'image', ref: 'cowsay', cmd: ['cowsay', 'moo'] }, ctx)
 */
export async function checkImage(check: ImageCheck, ctx: CheckContext): Promise<Outcome> {
  const ref = check.ref;
  let info: Awaited<ReturnType<ReturnType<CheckContext['docker']['getImage']>['inspect']>>;
  try {
    info = await ctx.docker.getImage(ref).inspect();
  } catch (error) {
    if (!isNotFound(error)) throw error;
    if (check.exists === false)
      return pass(
        `image \`${ref}\` is gone`,
        `イメージ \`${ref}\` は削除されています`,
        `镜像 \`${ref}\` 已删除`,
      );
    return fail(
      `there should be an image \`${ref}\` but \`docker images\` does not list it`,
      `イメージ \`${ref}\` があるはずですが、\`docker images\` に出てきません`,
      `应该有镜像 \`${ref}\`，但 \`docker images\` 没有列出它`,
    );
  }
  if (check.exists === false) {
    return fail(
      `image \`${ref}\` should be removed but it is still there (${info.Id.slice(7, 19)})`,
      `イメージ \`${ref}\` は削除されているはずですが、まだあります (${info.Id.slice(7, 19)})`,
      `镜像 \`${ref}\` 应该已被删除，但它还在（${info.Id.slice(7, 19)}）`,
    );
  }
  const config = info.Config;
  const results: Outcome[] = [];
  for (const [key, want] of Object.entries(check.env ?? {})) {
    const found = (config.Env ?? []).find((e) => e.startsWith(`${key}=`))?.slice(key.length + 1);
    results.push(
      found === want
        ? pass(`ENV ${key}=${want}`, `ENV ${key}=${want}`, `ENV ${key}=${want}`)
        : fail(
            `image \`${ref}\` should set ${key}=${want} but ${found === undefined ? `${key} is not set` : `it is ${found}`}`,
            `イメージ \`${ref}\` は ${key}=${want} を設定するはずですが、${found === undefined ? `${key} はありません` : `値は ${found} です`}`,
            `镜像 \`${ref}\` 应该设置 ${key}=${want}，但${found === undefined ? `没有设置 ${key}` : `它的值是 ${found}`}`,
          ),
    );
  }
  for (const field of ['cmd', 'entrypoint'] as const) {
    const want = check[field];
    if (want === undefined) continue;
    const found = field === 'cmd' ? config.Cmd : (config.Entrypoint as string[] | null | undefined);
    const upper = field.toUpperCase();
    results.push(
      argvMatches(found, want)
        ? pass(
            `${upper} is ${argvText(found)}`,
            `${upper} は ${argvText(found)} です`,
            `${upper} 是 ${argvText(found, '（无）')}`,
          )
        : fail(
            `image \`${ref}\` should have ${upper} ${JSON.stringify(want)} but it has ${argvText(found)}`,
            `イメージ \`${ref}\` の ${upper} は ${JSON.stringify(want)} のはずですが、${argvText(found)} です`,
            `镜像 \`${ref}\` 的 ${upper} 应该是 ${JSON.stringify(want)}，但实际是 ${argvText(found, '（无）')}`,
          ),
    );
  }
  const exposed = Object.keys(config.ExposedPorts ?? {});
  for (const port of check.exposed ?? []) {
    const key = String(port).includes('/') ? String(port) : `${port}/tcp`;
    results.push(
      exposed.includes(key)
        ? pass(`it exposes ${key}`, `${key} を EXPOSE しています`, `它 EXPOSE 了 ${key}`)
        : fail(
            `image \`${ref}\` should expose ${key} but it exposes ${exposed.join(', ') || 'nothing'}`,
            `イメージ \`${ref}\` は ${key} を EXPOSE するはずですが、${exposed.join(', ') || '何も EXPOSE していません'}`,
            `镜像 \`${ref}\` 应该 EXPOSE ${key}，但${exposed.length > 0 ? `它 EXPOSE 的是 ${exposed.join(', ')}` : '它没有 EXPOSE 任何端口'}`,
          ),
    );
  }
  for (const [field, found, upper] of [
    ['workdir', config.WorkingDir, 'WORKDIR'],
    ['user', config.User, 'USER'],
  ] as const) {
    const want = check[field];
    if (want === undefined) continue;
    results.push(
      (found ?? '') === want
        ? pass(`${upper} is ${want}`, `${upper} は ${want} です`, `${upper} 是 ${want}`)
        : fail(
            `image \`${ref}\` should have ${upper} ${want} but it has ${found || 'none'}`,
            `イメージ \`${ref}\` の ${upper} は ${want} のはずですが、${found || '未設定'} です`,
            `镜像 \`${ref}\` 的 ${upper} 应该是 ${want}，但实际是 ${found || '（未设置）'}`,
          ),
    );
  }
  if (check.layers !== undefined) {
    const n = info.RootFS?.Layers?.length ?? 0;
    const want =
      typeof check.layers === 'number' ? `${check.layers}` : excerpt(JSON.stringify(check.layers));
    results.push(
      countOk(n, check.layers)
        ? pass(`it has ${n} layer(s)`, `レイヤーは ${n} 個です`, `它有 ${n} 层`)
        : fail(
            `image \`${ref}\` should have ${want} layer(s) but it has ${n}`,
            `イメージ \`${ref}\` のレイヤーは ${want} 個のはずですが、${n} 個です`,
            `镜像 \`${ref}\` 应该有 ${want} 层，但实际有 ${n} 层`,
          ),
    );
  }
  if (results.length === 0)
    results.push(
      pass(`image \`${ref}\` exists`, `イメージ \`${ref}\` があります`, `镜像 \`${ref}\` 存在`),
    );
  return combine(results);
}
