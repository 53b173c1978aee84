import { afterAll, beforeAll } from 'vitest';
import {
  type LiveSession,
  openLiveSession,
} from '../../../sandbox-server/src/bench/hostile/live-terminal.ts';
import {
  listeningUrl,
  type ServeProcess,
  serveDir,
  spawnServe,
  stopServe,
} from './serve-process.ts';

/**
 * For one describe block: a real `handson serve` with one ready session, started before its
 * tests and deleted, stopped and cleaned up after them. Read both once the tests run.
 *
 * @example
 * const served = servedSession();
 * it('…', () => fetch(`${served.session().url}/healthz`));
 */
export function servedSession(): { serve: () => ServeProcess; session: () => LiveSession } {
  const { dir, remove } = serveDir();
  let serve: ServeProcess | undefined;
  let session: LiveSession | undefined;
  beforeAll(async () => {
    serve = spawnServe(dir);
    session = await openLiveSession(await listeningUrl(serve));
  }, 150_000);
  afterAll(async () => {
    if (session) {
      await fetch(`${session.url}/api/sessions/${session.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${session.token}` },
      }).catch(() => undefined);
    }
    if (serve) await stopServe(serve);
    remove();
  }, 60_000);
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the served session is read before it started');
    return value;
  };
  return { serve: () => started(serve), session: () => started(session) };
}
