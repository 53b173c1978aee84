import type { Lang } from './i18n.ts';
import { type WorkshopMessageKey, wt } from './workshop-i18n.ts';

/** The join route's error codes the page explains in the learner's language. */
const ERROR_KEYS: Record<string, WorkshopMessageKey> = {
  unknown_code: 'join.error.unknown_code',
  workshop_ended: 'join.error.workshop_ended',
  name_taken: 'join.error.name_taken',
  workshop_full: 'join.error.workshop_full',
  rejoin_refused: 'join.error.rejoin_refused',
};

/** Errors about the name rather than the code: the page puts the cursor back in the name field. */
const NAME_ERRORS = new Set(['name_taken', 'rejoin_refused']);

/**
 * What the join page says for a refused join, and which field it concerns. An error code the
 * page does not know shows the server's own message.
 *
 * @example
 * joinError('ja', { code: 'rejoin_refused', message: '…' }) // { text: 'この名前では…', field: 'name' }
 */
export function joinError(
  lang: Lang,
  error: { code: string; message: string } | undefined,
  fallback: string,
): { text: string; field: 'code' | 'name' } {
  const key = error ? ERROR_KEYS[error.code] : undefined;
  return {
    text: key
      ? wt(lang, key)
      : wt(lang, 'join.error.other', { message: error?.message ?? fallback }),
    field: error && NAME_ERRORS.has(error.code) ? 'name' : 'code',
  };
}
