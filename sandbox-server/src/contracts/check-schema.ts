import { z } from 'zod';
import { CHECK_KEYS, CHECK_KINDS, type Check, type CheckKey } from './check-kinds/index.ts';
import { isPlainObject } from './lesson-text.ts';

/**
 * One check as lesson authors write it — a kind key whose value is the check's main subject,
 * with its fields beside it (`{container: web, state: running}`) or nested under it
 * (`{inspect: {container: web, path: Config.Hostname, equals: box}}`) — parsed by the kind's
 * schema from the table and normalised to `{kind: 'container', name: 'web', state: 'running'}`.
 */

/**
 * Which kind key a raw check uses, or undefined.
 *
 * @example
 * checkKeyOf({ network: 'app', containers: ['web'] }) // 'network'
 */
export function checkKeyOf(raw: unknown): CheckKey | undefined {
  if (!isPlainObject(raw)) return undefined;
  return CHECK_KEYS.find((key) => key in raw);
}

export const checkSchema = z
  .unknown()
  .transform((raw, ctx): Check => {
    const key = checkKeyOf(raw);
    if (!isPlainObject(raw) || key === undefined) {
      const found = isPlainObject(raw) ? Object.keys(raw).join(', ') || 'nothing' : typeof raw;
      ctx.addIssue({
        code: 'custom',
        message: `unknown check kind (found ${found}); expected one of ${CHECK_KEYS.join(', ')}`,
      });
      return z.NEVER;
    }
    const spec = CHECK_KINDS[key];
    const { [key]: head, ...rest } = raw;
    // A nested object holds the fields; a bare value fills the kind's main field.
    const nested = isPlainObject(head) && !('objectIsPrimary' in spec && spec.objectIsPrimary);
    const merged = nested ? { ...rest, ...head } : { ...rest, [spec.primary]: head };
    const parsed = spec.fields.safeParse(merged);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const first = issue.path[0];
        // Point at the field where the author wrote it: under the kind key, or beside it.
        const beside = first !== undefined && first in rest;
        let path = issue.path;
        if (!nested && first === spec.primary) path = [key];
        else if (nested && !beside) path = [key, ...issue.path];
        ctx.addIssue({ ...issue, path });
      }
      return z.NEVER;
    }
    return { kind: spec.kind, ...parsed.data } as Check;
  })
  .describe(`One check: a kind key (${CHECK_KEYS.join(', ')}) with its fields.`);
