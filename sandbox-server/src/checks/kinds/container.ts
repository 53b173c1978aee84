import type Docker from 'dockerode';
import type { ContainerCheck } from '../../contracts/lesson.ts';
import type { CheckContext } from '../context.ts';
import { isNotFound } from '../engine-errors.ts';
import { normalizeImageRef, sameImageRef } from '../image-ref.ts';
import { combine, fail, type Outcome, pass } from '../outcome.ts';

/**
 * `container` / `containers`: a container by name (or every container matching filters, with
 * a count) has the expected state, image, exit code, ports, labels and environment.
 */

type Inspect = Docker.ContainerInspectInfo;

function describeState(info: Inspect): { en: string; ja: string; zh: string } {
  const s = info.State;
  if (s.Status === 'exited') {
    return {
      en: `it exited with code ${s.ExitCode}`,
      ja: `終了コード ${s.ExitCode} で終了しています`,
      zh: `它已退出，退出码为 ${s.ExitCode}`,
    };
  }
  return { en: `it is ${s.Status}`, ja: `状態は ${s.Status} です`, zh: `它的状态是 ${s.Status}` };
}

function hostPorts(info: Inspect, key: string): { ip: string; port: string }[] {
  // Running containers report live bindings; stopped ones only what was asked for.
  const live = (info.NetworkSettings?.Ports ?? {}) as Record<
    string,
    { HostIp: string; HostPort: string }[] | null
  >;
  const asked = (info.HostConfig?.PortBindings ?? {}) as Record<
    string,
    { HostIp: string; HostPort: string }[] | null
  >;
  const bindings = live[key] ?? asked[key] ?? [];
  return bindings.map((b) => ({ ip: b.HostIp, port: b.HostPort }));
}

async function imageMatches(docker: Docker, info: Inspect, expected: string): Promise<boolean> {
  if (sameImageRef(info.Config.Image, expected)) return true;
  // Started by id or by another tag of the same image: compare image ids.
  const id = await docker
    .getImage(expected)
    .inspect()
    .then((image) => image.Id)
    .catch(() => undefined);
  return id !== undefined && id === info.Image;
}

/** Evaluate every property the check names against one container. */
export async function containerProperties(
  check: ContainerCheck,
  info: Inspect,
  docker: Docker,
): Promise<Outcome> {
  const name = info.Name.replace(/^\//, '');
  const results: Outcome[] = [];
  if (check.state !== undefined) {
    const found = describeState(info);
    results.push(
      info.State.Status === check.state
        ? pass(
            `container \`${name}\` is ${check.state}`,
            `コンテナ \`${name}\` は ${check.state} です`,
            `容器 \`${name}\` 处于 ${check.state} 状态`,
          )
        : fail(
            `container \`${name}\` should be ${check.state} but ${found.en}`,
            `コンテナ \`${name}\` は ${check.state} のはずですが、${found.ja}`,
            `容器 \`${name}\` 应该处于 ${check.state} 状态，但${found.zh}`,
          ),
    );
  }
  if (check.image !== undefined) {
    results.push(
      (await imageMatches(docker, info, check.image))
        ? pass(
            `it runs image \`${check.image}\``,
            `イメージ \`${check.image}\` から起動しています`,
            `它由镜像 \`${check.image}\` 启动`,
          )
        : fail(
            `container \`${name}\` should run image \`${check.image}\` (${normalizeImageRef(check.image)}) but it runs \`${info.Config.Image}\``,
            `コンテナ \`${name}\` はイメージ \`${check.image}\` から起動するはずですが、\`${info.Config.Image}\` から起動しています`,
            `容器 \`${name}\` 应该由镜像 \`${check.image}\`（${normalizeImageRef(check.image)}）启动，但它由 \`${info.Config.Image}\` 启动`,
          ),
    );
  }
  if (check.exitCode !== undefined) {
    const s = info.State;
    const exited = s.Status === 'exited';
    results.push(
      exited && s.ExitCode === check.exitCode
        ? pass(
            `it exited with code ${s.ExitCode}`,
            `終了コード ${s.ExitCode} で終了しています`,
            `它已退出，退出码为 ${s.ExitCode}`,
          )
        : fail(
            `container \`${name}\` should have exited with code ${check.exitCode} but ${describeState(info).en}`,
            `コンテナ \`${name}\` は終了コード ${check.exitCode} で終了しているはずですが、${describeState(info).ja}`,
            `容器 \`${name}\` 应该以退出码 ${check.exitCode} 退出，但${describeState(info).zh}`,
          ),
    );
  }
  for (const [portKey, want] of Object.entries(check.ports ?? {})) {
    const key = portKey.includes('/') ? portKey : `${portKey}/tcp`;
    const bound = hostPorts(info, key);
    const shown = bound.map((b) => `${b.ip || '0.0.0.0'}:${b.port}`).join(', ') || 'nothing';
    const ok =
      want === true
        ? bound.length > 0
        : bound.some((b) => {
            const text = String(want);
            return text.includes(':') ? `${b.ip}:${b.port}` === text : b.port === text;
          });
    results.push(
      ok
        ? pass(
            `port ${key} is published on ${shown}`,
            `ポート ${key} は ${shown} に公開されています`,
            `端口 ${key} 已发布到 ${shown}`,
          )
        : fail(
            `container \`${name}\` should publish port ${key}${want === true ? '' : ` on host port ${want}`} but it is published on ${shown}`,
            `コンテナ \`${name}\` はポート ${key} を${want === true ? '' : `ホストの ${want} 番に`}公開するはずですが、公開先: ${shown}`,
            `容器 \`${name}\` 应该${want === true ? '' : `在主机端口 ${want} 上`}发布端口 ${key}，但实际发布到：${shown === 'nothing' ? '无' : shown}`,
          ),
    );
  }
  for (const [key, want] of Object.entries(check.labels ?? {})) {
    const found = info.Config.Labels?.[key];
    results.push(
      found === want
        ? pass(`label ${key}=${want}`, `ラベル ${key}=${want}`, `标签 ${key}=${want}`)
        : fail(
            `container \`${name}\` should have label ${key}=${want} but ${found === undefined ? 'it has no such label' : `it is ${found}`}`,
            `コンテナ \`${name}\` にはラベル ${key}=${want} があるはずですが、${found === undefined ? 'そのラベルはありません' : `値は ${found} です`}`,
            `容器 \`${name}\` 应该带有标签 ${key}=${want}，但${found === undefined ? '没有这个标签' : `它的值是 ${found}`}`,
          ),
    );
  }
  for (const [key, want] of Object.entries(check.env ?? {})) {
    const line = (info.Config.Env ?? []).find((e) => e.startsWith(`${key}=`));
    const found = line?.slice(key.length + 1);
    results.push(
      found === want
        ? pass(
            `${key}=${want} is set`,
            `${key}=${want} が設定されています`,
            `已设置 ${key}=${want}`,
          )
        : fail(
            `container \`${name}\` should have ${key}=${want} in its environment but ${found === undefined ? `${key} is not set` : `it is ${found}`}`,
            `コンテナ \`${name}\` の環境変数は ${key}=${want} のはずですが、${found === undefined ? `${key} は設定されていません` : `値は ${found} です`}`,
            `容器 \`${name}\` 的环境变量应该有 ${key}=${want}，但${found === undefined ? `没有设置 ${key}` : `它的值是 ${found}`}`,
          ),
    );
  }
  if (results.length === 0)
    results.push(
      pass(
        `container \`${name}\` exists`,
        `コンテナ \`${name}\` があります`,
        `容器 \`${name}\` 存在`,
      ),
    );
  return combine(results);
}

async function byName(
  check: ContainerCheck & { name: string },
  ctx: CheckContext,
): Promise<Outcome> {
  const name = check.name.replace(/^\//, '');
  let info: Inspect;
  try {
    info = await ctx.docker.getContainer(name).inspect();
  } catch (error) {
    if (!isNotFound(error)) throw error;
    if (check.exists === false) {
      return pass(
        `container \`${name}\` is gone`,
        `コンテナ \`${name}\` は削除されています`,
        `容器 \`${name}\` 已删除`,
      );
    }
    return fail(
      `there should be a container named \`${name}\` but there is none (\`docker ps -a\` does not list it)`,
      `\`${name}\` という名前のコンテナがあるはずですが、見つかりません (\`docker ps -a\` に出てきません)`,
      `应该有一个名为 \`${name}\` 的容器，但找不到它（\`docker ps -a\` 里没有列出）`,
    );
  }
  if (check.exists === false) {
    const found = describeState(info);
    return fail(
      `container \`${name}\` should be removed but it still exists (${found.en})`,
      `コンテナ \`${name}\` は削除されているはずですが、まだあります (${found.ja})`,
      `容器 \`${name}\` 应该已被删除，但它还在（${found.zh}）`,
    );
  }
  return containerProperties(check, info, ctx.docker);
}

function countText(count: ContainerCheck['count']): {
  en: string;
  ja: string;
  zh: string;
  ok: (n: number) => boolean;
} {
  if (count === undefined)
    return { en: 'at least 1', ja: '1 個以上', zh: '至少 1 个', ok: (n) => n >= 1 };
  if (typeof count === 'number')
    return { en: `${count}`, ja: `${count} 個`, zh: `${count} 个`, ok: (n) => n === count };
  const { min = 0, max = Number.POSITIVE_INFINITY } = count;
  const unbounded = max === Number.POSITIVE_INFINITY;
  const en = unbounded ? `at least ${min}` : `${min} to ${max}`;
  const ja = unbounded ? `${min} 個以上` : `${min}〜${max} 個`;
  const zh = unbounded ? `至少 ${min} 个` : `${min} 到 ${max} 个`;
  return { en, ja, zh, ok: (n) => n >= min && n <= max };
}

async function byFilters(check: ContainerCheck, ctx: CheckContext): Promise<Outcome> {
  const filters = Object.fromEntries(
    Object.entries(check.filters ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
  );
  const list = await ctx.docker.listContainers({ all: true, filters });
  const matching: string[] = [];
  let firstMiss: Outcome | undefined;
  for (const summary of list) {
    const info = await ctx.docker.getContainer(summary.Id).inspect();
    const outcome = await containerProperties(check, info, ctx.docker);
    if (outcome.passed) matching.push(info.Name.replace(/^\//, ''));
    else firstMiss ??= outcome;
  }
  const want = countText(check.count);
  const filterText = Object.entries(check.filters ?? {})
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`)
    .join(' ');
  if (want.ok(matching.length)) {
    return pass(
      `${matching.length} container(s) match ${filterText}`,
      `${filterText} に合うコンテナが ${matching.length} 個あります`,
      `有 ${matching.length} 个容器符合 ${filterText}`,
    );
  }
  const why = firstMiss ? ` (${firstMiss.message.en})` : '';
  const whyJa = firstMiss ? ` (${firstMiss.message.ja})` : '';
  const whyZh = firstMiss ? `（${firstMiss.message.zh}）` : '';
  return fail(
    `there should be ${want.en} container(s) matching ${filterText} but there are ${matching.length}${why}`,
    `${filterText} に合うコンテナは ${want.ja}のはずですが、${matching.length} 個です${whyJa}`,
    `符合 ${filterText} 的容器应该有 ${want.zh}，但实际有 ${matching.length} 个${whyZh}`,
  );
}

/**
 * Evaluate a `container` / `containers` check once.
 *
 * @example
 * await checkContainer({ kind: 'container', name: 'web', state: 'running' }, ctx)
 */
export function checkContainer(check: ContainerCheck, ctx: CheckContext): Promise<Outcome> {
  if (check.name !== undefined) return byName({ ...check, name: check.name }, ctx);
  return byFilters(check, ctx);
}
