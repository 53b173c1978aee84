import { describe, expect, it } from 'vitest';
import {
  ApiClient,
  ApiError,
  type SessionCredentials,
  type SessionInfo,
  type TerminalTicket,
} from '../../../../site/src/client/api-client.ts';
import { startEarly } from '../../../../site/src/client/early-session.ts';
import { loadSession, saveSession } from '../../../../site/src/client/progress.ts';
import { SessionController } from '../../../../site/src/client/session-controller.ts';
import { memoryStorage } from './memory-storage.ts';

const expiresAt = '2030-01-01T00:00:00.000Z';

/** A fake server that records the calls an early start makes. */
class FakeApi extends ApiClient {
  calls: string[] = [];
  createError: ApiError | undefined;
  state: SessionInfo['state'] = 'ready';

  override async createSession(): Promise<SessionCredentials> {
    this.calls.push('create');
    if (this.createError) throw this.createError;
    return { id: 's1', token: 'tok', expiresAt };
  }
  override async terminalTicket(
    _s: SessionCredentials,
    body: { mode: 'write' | 'read' },
  ): Promise<TerminalTicket> {
    this.calls.push(`ticket ${body.mode}`);
    return { ticket: 'tkt', terminal: 'main' };
  }
  override async getSession(_s: SessionCredentials, waitS?: number): Promise<SessionInfo> {
    this.calls.push(`get wait=${waitS}`);
    return { id: 's1', state: this.state, expiresAt };
  }
}

/** A page's controller handed an early start, as mountLessonPage builds it. */
function controllerWithEarlyStart() {
  const api = new FakeApi();
  const storage = memoryStorage();
  const early = startEarly({ lesson: 'images', lang: 'en' }, api, storage);
  const controller = new SessionController({ api, storage, lesson: 'images', lang: 'en', early });
  return { api, controller };
}

describe('early session start', () => {
  it('creates the session, takes a write ticket and waits for ready, before the page asks', async () => {
    const api = new FakeApi();
    const storage = memoryStorage();
    const early = await startEarly({ lesson: 'images', lang: 'en' }, api, storage);
    expect(early).toEqual({
      credentials: { id: 's1', token: 'tok', expiresAt },
      info: { id: 's1', state: 'ready', expiresAt },
      ticket: 'tkt',
    });
    expect(api.calls).toEqual(['create', 'ticket write', 'get wait=20']);
    expect(loadSession(storage, 'images')?.id).toBe('s1');
  });

  it('leaves a saved session to the page (it is resumed, not replaced)', () => {
    const api = new FakeApi();
    const storage = memoryStorage();
    saveSession(storage, 'images', { id: 'old', token: 't', expiresAt });
    expect(startEarly({ lesson: 'images', lang: 'en' }, api, storage)).toBeUndefined();
    expect(api.calls).toEqual([]);
  });

  it('gives nothing when the server refuses or the sandbox does not become ready', async () => {
    const busy = new FakeApi();
    busy.createError = new ApiError(503, 'no_capacity', 'full', 5);
    expect(
      await startEarly({ lesson: 'images', lang: 'en' }, busy, memoryStorage()),
    ).toBeUndefined();

    const failing = new FakeApi();
    failing.state = 'failed';
    expect(
      await startEarly({ lesson: 'images', lang: 'en' }, failing, memoryStorage()),
    ).toBeUndefined();
  });

  it('is what the session controller starts with, without creating another session', async () => {
    const { api, controller } = controllerWithEarlyStart();
    const result = await controller.start('first');
    expect(result).toMatchObject({ fresh: true, info: { state: 'ready' } });
    expect(controller.state.kind).toBe('ready');
    expect(controller.credentials?.id).toBe('s1');
    expect(api.calls.filter((c) => c === 'create')).toHaveLength(1);
  });

  it("hands the early ticket to the terminal's first connection only", async () => {
    const { api, controller } = controllerWithEarlyStart();
    await controller.start('first');
    expect(await controller.writeTicket()).toBe('tkt');
    expect(api.calls.filter((c) => c === 'ticket write')).toHaveLength(1);
    await controller.writeTicket();
    expect(api.calls.filter((c) => c === 'ticket write')).toHaveLength(2);
  });

  it("is taken once: a later start (the banner's restart) asks the server again", async () => {
    const { api, controller } = controllerWithEarlyStart();
    await controller.start('first');
    const calls = api.calls.length;
    const again = await controller.start();
    expect(again.fresh).toBe(false);
    expect(api.calls.slice(calls)).toEqual(['get wait=undefined', 'get wait=20']);
  });
});
