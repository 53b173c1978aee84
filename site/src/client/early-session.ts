import {
  ApiClient,
  READY_WAIT_S,
  type SessionCredentials,
  type SessionInfo,
} from './api-client.ts';
import { loadSession, saveSession } from './progress.ts';

/**
 * A new learner's sandbox, asked for before the lesson page's big module (xterm and the rest)
 * has even loaded: a tiny script at the top of the page creates the session and at once takes
 * the first terminal ticket (so the server starts the shell as soon as the sandbox is there)
 * while it waits for the sandbox to be ready, all while the browser is still busy with
 * JavaScript. It hands the result to the page's SessionController (its `early` option), which
 * owns it from then on; on any failure the controller gets nothing and does the usual, slower
 * start itself. Only api-client and progress are imported, so this script stays small.
 */

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface EarlyStart {
  credentials: SessionCredentials;
  info: SessionInfo;
  /** A write ticket for the main terminal, unused. */
  ticket: string | undefined;
}

/**
 * Begin a new session for `lesson` now, unless a saved session will be resumed instead
 * (then undefined). The promise is the handle the page's SessionController takes.
 *
 * @example
 * const early = startEarly({ lesson: 'first-containers', lang: 'en' });
 * new SessionController({ api, storage: localStorage, lesson, lang, early });
 */
export function startEarly(
  opts: { lesson: string; lang: string },
  api: ApiClient = new ApiClient(),
  storage: StorageLike = localStorage,
): Promise<EarlyStart | undefined> | undefined {
  if (loadSession(storage, opts.lesson)) return undefined;
  return createEarly(api, storage, opts);
}

/** Create, ticket, wait for ready; undefined on any failure. */
async function createEarly(
  api: ApiClient,
  storage: StorageLike,
  opts: { lesson: string; lang: string },
): Promise<EarlyStart | undefined> {
  try {
    const created = await api.createSession({ lesson: opts.lesson, lang: opts.lang });
    saveSession(storage, opts.lesson, created);
    // The ticket at once, beside the ready-wait: taking it starts the shell, which the server
    // does as soon as the sandbox is there.
    const ticket = api.terminalTicket(created, { mode: 'write' }).then(
      (t) => t.ticket,
      () => undefined,
    );
    const info = await api.getSession(created, READY_WAIT_S);
    if (info.state !== 'ready') return undefined;
    const credentials = { ...created, expiresAt: info.expiresAt };
    saveSession(storage, opts.lesson, credentials);
    return { credentials, info, ticket: await ticket };
  } catch {
    return undefined;
  }
}
