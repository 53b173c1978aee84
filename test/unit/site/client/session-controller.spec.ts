import { describe, expect, it } from 'vitest';
import {
  ApiClient,
  ApiError,
  effectiveExpiry,
  type SessionCredentials,
  type SessionInfo,
} from '../../../../site/src/client/api-client.ts';
import { loadSession, saveSession } from '../../../../site/src/client/progress.ts';
import { SessionController } from '../../../../site/src/client/session-controller.ts';
import type { SessionState } from '../../../../site/src/client/session-state.ts';
import { memoryStorage } from './memory-storage.ts';

const expiresAt = '2030-01-01T00:00:00.000Z';

/** A fake server: scripted answers for createSession and a state sequence for getSession. */
class FakeApi extends ApiClient {
  created = 0;
  createErrors: ApiError[] = [];
  states: SessionInfo['state'][] = ['ready'];
  known = new Set<string>();
  gotos: string[] = [];
  createdAt: (string | undefined)[] = [];

  override async createSession(body: { step?: string } = {}): Promise<SessionCredentials> {
    this.createdAt.push(body.step);
    const error = this.createErrors.shift();
    if (error) throw error;
    this.created++;
    const id = `s${this.created}`;
    this.known.add(id);
    return { id, token: 'tok', expiresAt };
  }

  override async getSession(s: SessionCredentials): Promise<SessionInfo> {
    if (!this.known.has(s.id)) throw new ApiError(404, 'not_found', 'no such session', undefined);
    const state = this.states.length > 1 ? this.states.shift()! : this.states[0]!;
    return { id: s.id, state, expiresAt };
  }

  override async goto(_s: SessionCredentials, body: { lesson: string; step: string }) {
    this.gotos.push(body.step);
    return {};
  }
}

function setup() {
  const api = new FakeApi();
  const storage = memoryStorage();
  const controller = new SessionController({
    api,
    storage,
    lesson: 'images',
    lang: 'en',
    firstStep: 'pull',
    pollMs: 1,
  });
  const kinds: string[] = [];
  controller.onChange((s) => kinds.push(s.kind));
  return { api, storage, controller, kinds };
}

describe('session controller', () => {
  it('creates a session, waits until it is ready and saves it for a reload', async () => {
    const { api, storage, controller, kinds } = setup();
    api.states = ['starting', 'starting', 'ready'];
    const result = await controller.start();
    expect(result.fresh).toBe(true);
    expect(kinds).toEqual(['starting', 'ready']);
    expect(loadSession(storage, 'images')?.id).toBe('s1');
  });

  it('starts a fresh session at a later step in one request, with no goto', async () => {
    const { api, controller } = setup();
    const result = await controller.start('tag');
    expect(result).toMatchObject({ fresh: true, at: 'tag' });
    expect(api.createdAt).toEqual(['tag']);
    expect(api.gotos).toEqual([]);
  });

  it('starts a fresh session at the first step without naming it', async () => {
    const { api, controller } = setup();
    const result = await controller.start('pull');
    expect(result.at).toBeUndefined();
    expect(api.createdAt).toEqual([undefined]);
  });

  it('resumes the saved session instead of creating another', async () => {
    const { api, storage, controller } = setup();
    api.known.add('old');
    saveSession(storage, 'images', { id: 'old', token: 'tok', expiresAt });
    const result = await controller.start();
    expect(result.fresh).toBe(false);
    expect(controller.credentials?.id).toBe('old');
    expect(api.created).toBe(0);
  });

  it('replaces a saved session the server no longer knows', async () => {
    const { storage, controller } = setup();
    saveSession(storage, 'images', { id: 'gone', token: 'tok', expiresAt });
    const result = await controller.start();
    expect(result.fresh).toBe(true);
    expect(loadSession(storage, 'images')?.id).toBe('s1');
  });

  it('waits out 503 + Retry-After, showing the countdown, then gets a sandbox', async () => {
    const { api, controller, kinds } = setup();
    api.createErrors = [new ApiError(503, 'capacity', 'busy', 0)];
    await controller.start();
    expect(kinds).toEqual(['starting', 'noCapacity', 'starting', 'ready']);
  });

  it('tells a disk_low refusal from a full class, and still retries', async () => {
    const { api, controller, kinds } = setup();
    const states: SessionState[] = [];
    controller.onChange((s) => states.push(s));
    api.createErrors = [new ApiError(503, 'disk_low', 'low disk', 0)];
    await controller.start();
    expect(states).toContainEqual(expect.objectContaining({ kind: 'noCapacity', reason: 'disk' }));
    expect(kinds.at(-1)).toBe('ready');
  });

  it('says the sandbox failed when the server refuses for another reason', async () => {
    const { api, controller } = setup();
    api.createErrors = [new ApiError(500, 'boom', 'engine down', undefined)];
    await expect(controller.start()).rejects.toThrow('engine down');
    expect(controller.state).toEqual({ kind: 'failed', message: 'engine down' });
  });

  it('goto shows preparing until the sandbox is ready at that step', async () => {
    const { api, controller, kinds } = setup();
    await controller.start();
    api.states = ['starting', 'ready'];
    await controller.goto('tag');
    expect(api.gotos).toEqual(['tag']);
    expect(kinds.slice(-2)).toEqual(['preparing', 'ready']);
  });
});

describe('session expiry', () => {
  it('follows the server: an expired session shows as expired after a refresh', async () => {
    const { api, controller } = setup();
    await controller.start();
    api.states = ['expired'];
    await controller.refresh();
    expect(controller.state.kind).toBe('expired');
  });

  it('uses the idle timeout when it comes before the TTL', () => {
    expect(
      effectiveExpiry({
        expiresAt: '2030-01-01T01:00:00Z',
        idleExpiresAt: '2030-01-01T00:30:00Z',
      }),
    ).toBe(Date.parse('2030-01-01T00:30:00Z'));
    expect(effectiveExpiry({ expiresAt: '2030-01-01T01:00:00Z' })).toBe(
      Date.parse('2030-01-01T01:00:00Z'),
    );
  });
});

describe('coming back', () => {
  it('revives an expired session at the learner step with goto instead of a new one', async () => {
    const { api, storage, controller } = setup();
    api.known.add('old');
    saveSession(storage, 'images', { id: 'old', token: 'tok', expiresAt });
    api.states = ['expired', 'starting', 'ready'];
    const result = await controller.start('tag');
    expect(result).toMatchObject({ fresh: false, revived: true });
    expect(api.gotos).toEqual(['tag']);
    expect(controller.credentials?.id).toBe('old');
    expect(api.created).toBe(0);
  });
});
