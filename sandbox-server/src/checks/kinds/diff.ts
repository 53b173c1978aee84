import type { DiffCheck } from '../../contracts/lesson.ts';
import type { CheckContext } from '../context.ts';
import { isNotFound } from '../engine-errors.ts';
import { combine, fail, type Outcome, pass } from '../outcome.ts';

/** `diff`: `docker diff` of a container lists the given added / changed / deleted paths. */

const KINDS = [
  { field: 'changed', code: 0, en: 'changed', ja: '変更 (C)' },
  { field: 'added', code: 1, en: 'added', ja: '追加 (A)' },
  { field: 'deleted', code: 2, en: 'deleted', ja: '削除 (D)' },
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
    );
  }
  const results: Outcome[] = [];
  for (const kind of KINDS) {
    for (const wanted of check[kind.field] ?? []) {
      const path = clean(wanted);
      const entry = changes.find((c) => clean(c.Path) === path);
      if (entry?.Kind === kind.code) {
        results.push(pass(`${path} is ${kind.en}`, `${path} は${kind.ja}されています`));
        continue;
      }
      const found = entry ? KINDS.find((k) => k.code === entry.Kind) : undefined;
      results.push(
        fail(
          `\`docker diff ${check.container}\` should list ${path} as ${kind.en} but ${found ? `it lists it as ${found.en}` : 'it does not list it'}`,
          `\`docker diff ${check.container}\` には ${path} が${kind.ja}として出るはずですが、${found ? `${found.ja}として出ています` : '出てきません'}`,
        ),
      );
    }
  }
  if (results.length === 0) {
    results.push(
      changes.length > 0
        ? pass(`${changes.length} path(s) changed`, `${changes.length} 個のパスが変わっています`)
        : fail(
            `container \`${check.container}\` should have changes but \`docker diff\` lists none`,
            `コンテナ \`${check.container}\` には変更があるはずですが、\`docker diff\` は何も出しません`,
          ),
    );
  }
  return combine(results);
}
