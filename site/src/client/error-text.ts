import { ApiError } from './api-client.ts';
import { type Lang, type MessageKey, t } from './i18n.ts';

/**
 * What went wrong with an API call, in the learner's language. The server's messages are
 * written in English for every client; a page in another language says the same by the
 * error's code, and falls back to the server's words for codes it does not know.
 */

const KEYS: Record<string, MessageKey> = {
  rate_limited: 'error.rate_limited',
  too_many_tickets: 'error.rate_limited',
  at_capacity: 'error.at_capacity',
  session_expired: 'error.session_expired',
  expired: 'error.session_expired',
  session_failed: 'error.session_failed',
  failed: 'error.session_failed',
  sandbox_failed: 'error.sandbox_failed',
  session_not_found: 'error.session_gone',
  session_gone: 'error.session_gone',
  unauthorized: 'error.session_gone',
  max_lifetime: 'error.max_lifetime',
  too_large: 'error.too_large',
  is_directory: 'error.is_directory',
  bad_path: 'error.bad_path',
  unknown_step: 'error.unknown_step',
  unknown_lesson: 'error.unknown_step',
};

/**
 * The text to show for `error` on a page in `lang`.
 *
 * @example
 * errorText('zh', new ApiError(429, 'rate_limited', 'Too many requests', 3)) // '请求太频繁了，请等几秒再试'
 */
export function errorText(lang: Lang, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (lang === 'en') return message;
  if (error instanceof ApiError) {
    const key = KEYS[error.code];
    return key ? t(lang, key) : message;
  }
  // fetch rejects with a TypeError when the server cannot be reached at all.
  return error instanceof TypeError ? t(lang, 'error.network') : message;
}
