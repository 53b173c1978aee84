import type { InspectCheck } from '../../contracts/lesson.ts';
import type { CheckContext } from '../context.ts';
import { lookupPath, valueText } from '../dotted-path.ts';
import { isNotFound } from '../engine-errors.ts';
import { excerpt, fail, type Outcome, pass } from '../outcome.ts';

/**
 * `inspect`: a dotted path of a container's, image's, network's or volume's inspect data
 * equals / contains / matches a value, or exists.
 */

const TARGETS = {
  container: { en: 'container', ja: 'コンテナ', zh: '容器' },
  image: { en: 'image', ja: 'イメージ', zh: '镜像' },
  network: { en: 'network', ja: 'ネットワーク', zh: '网络' },
  volume: { en: 'volume', ja: 'ボリューム', zh: '数据卷' },
} as const;

async function inspectTarget(check: InspectCheck, ctx: CheckContext): Promise<unknown> {
  const d = ctx.docker;
  if (check.container) return d.getContainer(check.container).inspect();
  if (check.image) return d.getImage(check.image).inspect();
  if (check.network) return d.getNetwork(check.network).inspect();
  return d.getVolume(check.volume!).inspect();
}

/** Whether a found value equals the expected scalar (`8080` equals `"8080"`). */
export function looselyEquals(found: unknown, expected: unknown): boolean {
  if (found === expected) return true;
  if (found === null || expected === null || typeof found === 'object') return false;
  return String(found) === String(expected);
}

/** Whether a found value contains a string: substring of text, or an element of a list. */
export function valueContains(found: unknown, needle: string): boolean {
  if (Array.isArray(found))
    return found.some((item) => looselyEquals(item, needle) || valueText(item).includes(needle));
  if (typeof found === 'object' && found !== null)
    return Object.hasOwn(found, needle) || valueText(found).includes(needle);
  return valueText(found).includes(needle);
}

/**
 * Evaluate an `inspect` check once.
 *
 * @example
 * await checkInspect({ kind: 'inspect', container: 'box', path: 'Config.Hostname', equals: 'box' }, ctx)
 */
export async function checkInspect(check: InspectCheck, ctx: CheckContext): Promise<Outcome> {
  const kind = check.container
    ? 'container'
    : check.image
      ? 'image'
      : check.network
        ? 'network'
        : 'volume';
  const name = check.container ?? check.image ?? check.network ?? check.volume!;
  const label = TARGETS[kind];
  let data: unknown;
  try {
    data = await inspectTarget(check, ctx);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return fail(
      `there should be a ${label.en} named \`${name}\` but there is none`,
      `${label.ja} \`${name}\` があるはずですが、見つかりません`,
      `应该有一个名为 \`${name}\` 的${label.zh}，但找不到它`,
    );
  }
  const at = lookupPath(data, check.path);
  const where = `${label.en} \`${name}\`'s ${check.path}`;
  const whereJa = `${label.ja} \`${name}\` の ${check.path}`;
  const whereZh = `${label.zh} \`${name}\` 的 ${check.path}`;
  if (!at.found || at.value === null || at.value === '') {
    if (check.exists === false)
      return pass(`${where} is not set`, `${whereJa} は設定されていません`, `${whereZh} 没有设置`);
    const missing = at.found ? 'it is empty' : `there is no ${at.missing}`;
    const missingJa = at.found ? '空です' : `${at.missing} がありません`;
    const missingZh = at.found ? '它是空的' : `没有 ${at.missing}`;
    return fail(
      `${where} should be set but ${missing}`,
      `${whereJa} が設定されているはずですが、${missingJa}`,
      `${whereZh} 应该有值，但${missingZh}`,
    );
  }
  const shown = excerpt(valueText(at.value));
  if (check.exists === false) {
    return fail(
      `${where} should not be set but it is ${shown}`,
      `${whereJa} は設定されていないはずですが、${shown} です`,
      `${whereZh} 不应该有值，但它是 ${shown}`,
    );
  }
  if (check.equals !== undefined && !looselyEquals(at.value, check.equals)) {
    return fail(
      `${where} should be ${valueText(check.equals)} but it is ${shown}`,
      `${whereJa} は ${valueText(check.equals)} のはずですが、${shown} です`,
      `${whereZh} 应该是 ${valueText(check.equals)}，但实际是 ${shown}`,
    );
  }
  if (check.contains !== undefined && !valueContains(at.value, check.contains)) {
    return fail(
      `${where} should contain "${check.contains}" but it is ${shown}`,
      `${whereJa} には "${check.contains}" が含まれるはずですが、${shown} です`,
      `${whereZh} 应该包含 "${check.contains}"，但实际是 ${shown}`,
    );
  }
  if (check.matches !== undefined && !new RegExp(check.matches).test(valueText(at.value))) {
    return fail(
      `${where} should match /${check.matches}/ but it is ${shown}`,
      `${whereJa} は /${check.matches}/ に合うはずですが、${shown} です`,
      `${whereZh} 应该匹配 /${check.matches}/，但实际是 ${shown}`,
    );
  }
  return pass(`${where} is ${shown}`, `${whereJa} は ${shown} です`, `${whereZh} 是 ${shown}`);
}
