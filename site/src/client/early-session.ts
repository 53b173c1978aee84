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
 * JavaScript. The page's SessionController picks the result up; on
 * any failure it gets nothing and does the usual, slower start itself.
 */

export interface EarlyStart {
  credentials: SessionCredentials;
  info: SessionInfo;
  /** A write ticket for the main terminal, unused. */
  ticket: string | undefined;
}

let early: Promise<EarlyStart | undefined> | undefined;

/**
 * Begin for `lesson` unless a saved session will be resumed instead.
 *
 * @example
 * startEarly({ lesson: 'first-containers', lang: 'en' });
 */
export function startEarly(
  opts: { lesson: string; lang: string },
  api = new ApiClient(),
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = localStorage,
): void {
  if (early || loadSession(storage, opts.lesson)) return;
  early = (async () => {
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
  })().catch(() => undefined);
}

/** The early start's result, once (later callers get undefined). */
export function takeEarly(): Promise<EarlyStart | undefined> | undefined {
  const taken = early;
  early = undefined;
  return taken;
}
