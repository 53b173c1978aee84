import path from 'node:path';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { checkRoutes } from '../../../sandbox-server/src/checks/routes.ts';
import { apiApp } from '../../../sandbox-server/src/http/api-app.ts';
import { DomainError } from '../../../sandbox-server/src/http/domain-error.ts';
import { lessonCatalog } from '../../../sandbox-server/src/lessons/catalog.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import type {
  SessionDirectory,
  SessionHandle,
} from '../../../sandbox-server/src/sessions/session-handle.ts';

const content = path.resolve(import.meta.dirname, '../../../content/lessons');

/** A session whose sandbox's engine has one exited `greeter` container. */
function app(opts: { sandboxFails?: boolean } = {}) {
  const engine = {
    getContainer: (name: string) => ({
      inspect: async () => {
        if (name !== 'greeter')
          throw Object.assign(new Error('no such container'), { statusCode: 404 });
        return {
          Name: '/greeter',
          Image: 'sha256:x',
          Config: { Image: 'busybox', Env: [], Labels: {} },
          State: { Status: 'exited', ExitCode: 0 },
          HostConfig: {},
          NetworkSettings: { Ports: {} },
        };
      },
    }),
    getImage: () => ({ inspect: async () => ({ Id: 'sha256:other' }) }),
  } as unknown as Docker;
  const session: SessionHandle = {
    id: 's1',
    lang: 'ja',
    lesson: undefined,
    step: undefined,
    sandbox: async () => {
      if (opts.sandboxFails) throw new Error('sandbox s1 is starting');
      return { engine: () => engine } as unknown as Sandbox;
    },
    touch: () => undefined,
  };
  const sessions = {
    authorize: (id: string, token: string | undefined) => {
      if (id !== 's1') throw new DomainError('not_found', 'not_found', `no session ${id}`);
      if (token !== 'tok') throw new DomainError('unauthorized', 'unauthorized', 'bad token');
      return session;
    },
  } as unknown as SessionDirectory;
  return apiApp([checkRoutes({ sessions, lessons: lessonCatalog(content) })]);
}

async function post(body: unknown, opts: { token?: string; sandboxFails?: boolean } = {}) {
  const res = await app(opts).request('/api/sessions/s1/check', {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.token ?? 'tok'}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('POST /api/sessions/:id/check', () => {
  it('runs the step’s checks from the server’s content, in the requested language', async () => {
    const { status, body } = await post({ lesson: 'first-containers', step: 'echo', lang: 'en' });
    expect(status).toBe(200);
    expect(body).toEqual({
      passed: false,
      checks: [
        {
          passed: false,
          message:
            'container `greeter` should run image `debian` (docker.io/library/debian:latest) but it runs `busybox`',
        },
        { passed: false, message: expect.stringMatching(/^the check could not be evaluated/) },
      ],
    });
  }, 20_000);

  it('answers 404 for an unknown lesson or step, naming the steps there are', async () => {
    expect((await post({ lesson: 'no-such-lesson', step: 'x' })).status).toBe(404);
    const { status, body } = await post({ lesson: 'first-containers', step: 'nope' });
    expect(status).toBe(404);
    expect((body.error as { message: string }).message).toMatch(
      /has no step "nope" \(its steps: hello, echo/,
    );
  });

  it('answers 400 naming the field of a bad body', async () => {
    const { status, body } = await post({ lesson: 'first-containers' });
    expect(status).toBe(400);
    expect(body.error).toEqual({ code: 'bad_request', message: 'field "step": Required' });
  });

  it('answers 401 for a wrong token', async () => {
    expect(
      (await post({ lesson: 'first-containers', step: 'echo' }, { token: 'bad' })).status,
    ).toBe(401);
  });

  it('turns a sandbox that cannot be reached into a failed check, not a 500', async () => {
    const { status, body } = await post(
      { lesson: 'first-containers', step: 'echo' },
      { sandboxFails: true },
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      passed: false,
      checks: [
        {
          passed: false,
          message: expect.stringMatching(
            /^サンドボックスに接続できませんでした \(sandbox s1 is starting\)/,
          ),
        },
      ],
    });
  });
});
