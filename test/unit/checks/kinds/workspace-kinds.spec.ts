import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../../../../sandbox-server/src/checks/kinds/file.ts';
import { checkHistory } from '../../../../sandbox-server/src/checks/kinds/history.ts';
import { checkHttp } from '../../../../sandbox-server/src/checks/kinds/http.ts';
import { contextWith, fakeEngine } from './fake-engine.ts';

const { docker } = fakeEngine({});

describe('file checks', () => {
  const files: Record<string, string> = { Dockerfile: 'FROM debian\nRUN true\n' };
  const ctx = contextWith(docker, {
    readFile: async (rel: string) => {
      const body = files[rel];
      if (body === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return Buffer.from(body);
    },
  });

  it('check what a workspace file holds, and that another is absent', async () => {
    expect(
      (await checkFile({ kind: 'file', path: 'Dockerfile', matches: '^FROM debian$' }, ctx)).passed,
    ).toBe(true);
    expect((await checkFile({ kind: 'file', path: 'app.py', exists: false }, ctx)).passed).toBe(
      true,
    );
    const wrong = await checkFile({ kind: 'file', path: 'Dockerfile', contains: 'CMD' }, ctx);
    expect(wrong.message.en).toBe(
      '~/work/Dockerfile should contain "CMD" but it reads: FROM debian RUN true',
    );
  });
});

describe('history checks', () => {
  const history = ['#1700000000', 'docker ps -a', '#1700000010', 'ls', ''].join('\n');
  const sandbox = { readHistory: async () => history };

  it('find a matching command entered during the step', async () => {
    const ctx = { ...contextWith(docker, sandbox), historySince: 1_699_999_999_000 };
    expect((await checkHistory({ kind: 'history', matches: 'docker ps' }, ctx)).passed).toBe(true);
  });

  it('ask to run it again when it was entered before the step began', async () => {
    const ctx = { ...contextWith(docker, sandbox), historySince: 1_700_000_005_000 };
    const outcome = await checkHistory({ kind: 'history', matches: 'docker ps' }, ctx);
    expect(outcome.message.en).toMatch(/you ran one before, run it again now/);
  });
});

describe('http checks', () => {
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      res.statusCode = req.url === '/' ? 200 : 404;
      res.end('<h1>Welcome to nginx!</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function ctx() {
    return contextWith(docker, {
      connect: async () => net.connect(port, '127.0.0.1'),
    });
  }

  it('get a page through the sandbox connection and read its body', async () => {
    const outcome = await checkHttp({ kind: 'http', port, contains: 'Welcome' }, ctx());
    expect(outcome.passed).toBe(true);
  });

  it('say which status came back', async () => {
    const outcome = await checkHttp({ kind: 'http', port, path: '/missing' }, ctx());
    expect(outcome.message.en).toBe(
      `http://127.0.0.1:${port}/missing should answer 200 but it answered 404`,
    );
  });
});

describe('http checks against a page without end', () => {
  it('judge the first part of the body and hang up', async () => {
    let closed = false;
    const server = http.createServer((_req, res) => {
      res.write('<h1>Welcome</h1>');
      const block = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(block));
      };
      res.on('drain', pump);
      res.on('close', () => {
        closed = true;
      });
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const ctx = contextWith(docker, { connect: async () => net.connect(port, '127.0.0.1') });
      const outcome = await checkHttp({ kind: 'http', port, contains: 'Welcome' }, ctx);
      expect(outcome.passed).toBe(true);
      await expect.poll(() => closed).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
