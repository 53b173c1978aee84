import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import type { Sandbox, TtyProcess } from '../../../sandbox-server/src/sandbox/driver.ts';
import { HostDriver } from '../../../sandbox-server/src/sandbox/host/host-driver.ts';
import { startServer } from '../../../sandbox-server/src/server/start-server.ts';
import { client } from '../server/server-harness.ts';
import { WsTerminal } from '../terminal/support/ws-terminal.ts';

/** Collect a TTY's output until `pattern` shows up in it. */
function outputUntil(tty: TtyProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    tty.onData((chunk) => {
      text += chunk.toString('utf8');
      if (pattern.test(text)) resolve(text);
    });
  });
}

function readAll(stream: Duplex): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}

// The host driver is the learner's own machine: here, its "own engine" is the project's engine.
const savedDockerHost = process.env.DOCKER_HOST;
let workspace: string;
let driver: HostDriver;
let sandbox: Sandbox;

beforeAll(async () => {
  process.env.DOCKER_HOST = `unix://${loadConfig().engine.socket}`;
  workspace = await mkdtemp(path.join(tmpdir(), 'handson-host-driver-'));
  driver = new HostDriver(loadConfig(), path.join(workspace, 'work'));
  await driver.preflight();
  sandbox = await driver.create({ sessionId: 'host-spec' });
});

afterAll(async () => {
  if (savedDockerHost === undefined) delete process.env.DOCKER_HOST;
  else process.env.DOCKER_HOST = savedDockerHost;
  await rm(workspace, { recursive: true, force: true });
});

describe('the host driver (single-user local mode)', () => {
  it('gives the one local sandbox, in its own workspace folder', async () => {
    expect(sandbox.driver).toBe('host');
    expect((await stat(path.join(workspace, 'work'))).isDirectory()).toBe(true);
    expect(await driver.list()).toEqual([
      expect.objectContaining({ id: sandbox.id, sessionId: 'host-spec', driver: 'host' }),
    ]);
    expect(await driver.get(sandbox.id)).toBe(sandbox);
    expect(await driver.get('other')).toBeUndefined();
  });

  it('runs commands in the workspace and reports their exit code and output', async () => {
    const ok = await sandbox.exec(['sh', '-c', 'pwd; echo err >&2']);
    expect(ok).toEqual({
      exitCode: 0,
      stdout: `${path.join(workspace, 'work')}\n`,
      stderr: 'err\n',
    });
    const failed = await sandbox.exec(['sh', '-c', 'exit 3']);
    expect(failed.exitCode).toBe(3);
    const fed = await sandbox.exec(['cat'], { stdin: Buffer.from('from stdin') });
    expect(fed.stdout).toBe('from stdin');
  });

  it('reads and writes workspace files, and refuses paths outside it and big files', async () => {
    await sandbox.writeFile('app/Dockerfile', Buffer.from('FROM busybox\n'));
    expect(await readFile(path.join(workspace, 'work', 'app', 'Dockerfile'), 'utf8')).toBe(
      'FROM busybox\n',
    );
    expect((await sandbox.readFile('app/Dockerfile')).toString()).toBe('FROM busybox\n');
    await expect(sandbox.readFile('../outside')).rejects.toThrow();
    await expect(sandbox.writeFile('/etc/passwd', Buffer.from('x'))).rejects.toThrow();
    await expect(sandbox.writeFile('big', Buffer.alloc(1024 * 1024 + 1))).rejects.toThrow(
      /larger than 1 MiB/,
    );
  });

  it('opens a real shell whose size follows a resize', async () => {
    const tty = await sandbox.openTty({ cmd: ['bash', '--norc', '-i'], cols: 80, rows: 24 });
    try {
      const size = outputUntil(tty, /\b33 101\b/);
      await tty.resize(101, 33);
      tty.write('stty size\r');
      expect(await size).toMatch(/33 101/);
      const exited = new Promise<number>((resolve) => tty.onExit(resolve));
      tty.write('exit 7\r');
      expect(await exited).toBe(7);
    } finally {
      await tty.kill();
    }
  });

  it("talks to the learner's own engine", async () => {
    expect(String(await sandbox.engine().ping())).toBe('OK');
  });

  it('reaches ports on the local machine, and says when nothing listens', async () => {
    const server = net.createServer((socket) => socket.end('hello from the host'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as net.AddressInfo;
      expect(await readAll(await sandbox.connect(port))).toBe('hello from the host');
      server.close();
      await expect(sandbox.connect(port)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      server.close();
    }
  });

  it('says clearly when the local engine does not answer', async () => {
    process.env.DOCKER_HOST = `unix://${path.join(workspace, 'no-such.sock')}`;
    try {
      await expect(new HostDriver(loadConfig(), workspace).preflight()).rejects.toThrow(
        /Your Docker engine at .*no-such\.sock does not answer/,
      );
    } finally {
      process.env.DOCKER_HOST = `unix://${loadConfig().engine.socket}`;
    }
  });

  it('keeps the learner files when the session ends', async () => {
    await driver.destroy(sandbox.id);
    expect(await driver.list()).toEqual([]);
    expect(await readFile(path.join(workspace, 'work', 'app', 'Dockerfile'), 'utf8')).toBe(
      'FROM busybox\n',
    );
  });
});

describe('handson serve --driver host', () => {
  it('serves a session whose terminal is the local shell and whose files are the workspace', async () => {
    const work = path.join(workspace, 'served');
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      driver: new HostDriver(loadConfig(), work),
      config: { ...loadConfig(), database: path.join(workspace, 'served.sqlite') },
      warmPool: 0,
      log: () => undefined,
    });
    try {
      const api = client(server.url);
      const s = await api.create({ lang: 'en' });
      await expect.poll(async () => (await api.state(s)).state, { timeout: 30_000 }).toBe('ready');
      const put = await api.call(`/api/sessions/${s.id}/files/notes.txt`, {
        method: 'PUT',
        token: s.token,
        body: 'written through the API\n',
      });
      expect(put.status).toBe(204);
      expect(await readFile(path.join(work, 'notes.txt'), 'utf8')).toBe(
        'written through the API\n',
      );

      const res = await api.call(`/api/sessions/${s.id}/terminals`, {
        method: 'POST',
        token: s.token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mode: 'write' }),
      });
      const { ticket } = (await res.json()) as { ticket: string };
      const base = new URL(server.url).host;
      const term = await WsTerminal.connect(base, s.id, ticket, { origin: `http://${base}` });
      term.type('cat notes.txt; echo "host-$((40 + 2))"\r');
      await term.waitForText(/^written through the API$/m, 20_000);
      await term.waitForText(/^host-42$/m, 20_000);
      term.close();
      const del = await api.call(`/api/sessions/${s.id}`, { method: 'DELETE', token: s.token });
      expect(del.status).toBe(204);
      // The learner's own files stay.
      expect(await readFile(path.join(work, 'notes.txt'), 'utf8')).toBe(
        'written through the API\n',
      );
    } finally {
      await server.close();
    }
  });
});
