import type { DiffCheck } from '../../contracts/lesson.ts';
import type { CheckContext } from '../context.ts';
import { isNotFound } from '../engine-errors.ts';
import { combine, fail, type Outcome, pass } from '../outcome.ts';

/** `diff`: `docker diff` of a container lists the given added / changed / deleted paths. */

const KINDS = [
  { field: 'changed', code: 0, en: 'changed', ja: '変更 (C)', zh: '修改（C）' },
  { field: 'added', code: 1, en: 'added', ja: '追加 (A)', zh: '新增（A）' },
  { field: 'deleted', code: 2, en: 'deleted', ja: '削除 (D)', zh: '删除（D）' },
] as const;

const clean = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/**
 * Evaluate a `diff` check once.
 *
 * @example
 * await checkDiff({ kind: 'diff', container: 'broken', deleted: ['/usr/bin'], added: ['/basket'] }, ctx)
 */
export async function checkDiff(check: DiffCheck, ctx: CheckContext): Promise<Outcome> {
  let changes: { Path: string; Kind: number }[];
  try {
    changes = ((await ctx.docker.getContainer(check.container).changes()) ?? []) as typeof changes;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return fail(
      `there should be a container named \`${check.container}\` to compare, but there is none`,
      `差分を調べるコンテナ \`${check.container}\` が見つかりません`,
      `应该有一个名为 \`${check.container}\` 的容器用来比较差异，但找不到它`,
    );
  }
  const results: Outcome[] = [];
  for (const kind of KINDS) {
    for (const wanted of check[kind.field] ?? []) {
      const path = clean(wanted);
      const entry = changes.find((c) => clean(c.Path) === path);
      if (entry?.Kind === kind.code) {
        results.push(
          pass(
            `${path} is ${kind.en}`,
            `${path} は${kind.ja}されています`,
            `${path} 已被标记为${kind.zh}`,
          ),
        );
        continue;
      }
      const found = entry ? KINDS.find((k) => k.code === entry.Kind) : undefined;
      results.push(
        fail(
          `\`docker diff ${check.container}\` should list ${path} as ${kind.en} but ${found ? `it lists it as ${found.en}` : 'it does not list it'}`,
          `\`docker diff ${check.container}\` には ${path} が${kind.ja}として出るはずですが、${found ? `${found.ja}として出ています` : '出てきません'}`,
          `\`docker diff ${check.container}\` 应该把 ${path} 列为${kind.zh}，但${found ? `它被列为${found.zh}` : '列表里没有它'}`,
        ),
      );
    }
  }
  if (results.length === 0) {
    results.push(
      changes.length > 0
        ? pass(
            `${changes.length} path(s) changed`,
            `${changes.length} 個のパスが変わっています`,
            `有 ${changes.length} 个路径发生了变化`,
          )
        : fail(
            `container \`${check.container}\` should have changes but \`docker diff\` lists none`,
            `コンテナ \`${check.container}\` には変更があるはずですが、\`docker diff\` は何も出しません`,
            `容器 \`${check.container}\` 应该有变化，但 \`docker diff\` 什么也没列出`,
          ),
    );
  }
  return combine(results);
}
