import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TERMINAL_LIMITS } from '#contracts/terminal-protocol.ts';
import {
  type LiveSession,
  openLiveSession,
  requestTicket,
} from '../../../sandbox-server/src/bench/hostile/live-terminal.ts';
import { WsTerminal } from '../terminal/support/ws-terminal.ts';
import {
  listeningUrl,
  type ServeProcess,
  serveDir,
  spawnServe,
  stopServe,
} from './serve-process.ts';

// One session's open terminal WebSockets are capped (16) on a real `handson serve`: the next
// upgrade is refused 429, closing one makes room, and another session on the same address
// (a class shares one) is not affected.
describe('terminal sockets per session', () => {
  const { dir, remove } = serveDir();
  let serve: ServeProcess;
  let sessions: LiveSession[] = [];
  const open: WsTerminal[] = [];

  const connect = async (s: LiveSession) => {
    const { host, origin } = new URL(s.url);
    const term = await WsTerminal.connect(host, s.id, await requestTicket(s, 'read'), { origin });
    open.push(term);
    return term;
  };

  beforeAll(async () => {
    serve = spawnServe(dir);
    const url = await listeningUrl(serve);
    sessions = await Promise.all([openLiveSession(url), openLiveSession(url)]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all(open.map((term) => term.close()));
    for (const s of sessions) {
      await fetch(`${s.url}/api/sessions/${s.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${s.token}` },
      }).catch(() => undefined);
    }
    await stopServe(serve);
    remove();
  }, 60_000);

  it('refuses the 17th with 429, makes room when one closes, and leaves other sessions alone', async () => {
    const [mine, classmate] = sessions as [LiveSession, LiveSession];
    const held: WsTerminal[] = [];
    for (let i = 0; i < TERMINAL_LIMITS.maxSocketsPerSession; i++) held.push(await connect(mine));

    await expect(connect(mine)).rejects.toThrow('HTTP 429');
    // A classmate behind the same address still gets a terminal.
    await expect(connect(classmate)).resolves.toBeInstanceOf(WsTerminal);

    await held[0]!.close();
    await expect
      .poll(
        async () =>
          connect(mine).then(
            () => 'opened',
            (e: Error) => e.message,
          ),
        {
          timeout: 10_000,
        },
      )
      .toBe('opened');
    expect(serve.child.exitCode).toBeNull();
  }, 120_000);
});
