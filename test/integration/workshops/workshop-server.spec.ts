import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { contentDir, lessonCatalog } from '../../../sandbox-server/src/lessons/catalog.ts';
import { adminToken } from '../../../sandbox-server/src/workshops/admin-token.ts';
import { client, serverHarness } from '../server/server-harness.ts';
import { WsTerminal } from '../terminal/support/ws-terminal.ts';

// A workshop on the real server and engine: the CLI creates it, a learner joins and types in
// their terminal, the instructor watches read-only, and a restart keeps all of it.
const harness = serverHarness();
afterAll(async () => {
  await harness.dispose();
});

const READY = { timeout: 120_000, interval: 250 };
const root = path.resolve(import.meta.dirname, '..', '..', '..');
const catalog = lessonCatalog(contentDir(loadConfig()));
const admin = adminToken(loadConfig());

describe('a workshop on handson serve (dind)', () => {
  it('is created by the CLI, joined, watched read-only, and survives a restart', async () => {
    let server = await harness.start({ catalog });
    let api = client(server.url);

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        path.join(root, 'sandbox-server/bin/handson.js'),
        'workshop',
        'create',
        '--lessons',
        'first-containers',
        '--max',
        '2',
        '--duration',
        '1h',
        '--title',
        'Integration class',
        '--server',
        server.url,
      ],
      { cwd: root },
    );
    const code = stdout.match(/join code\s+(\S+)/)?.[1];
    const id = stdout.match(/id\s+([0-9a-f]{12})/)?.[1];
    expect(code).toMatch(/^[2-9A-Z]{8}$/);
    expect(stdout).toContain(`${server.url}/en/join/?code=${code}`);

    const join = await api.call('/api/workshops/join', {
      method: 'POST',
      body: JSON.stringify({ code, name: 'Aki' }),
    });
    expect(join.status).toBe(201);
    const aki = (await join.json()) as { id: string; token: string; learner: string };
    await expect.poll(async () => (await api.state(aki)).state, READY).toBe('ready');

    // The learner types; the instructor's read-only view shows it and ignores what it sends.
    const base = new URL(server.url).host;
    const writerTicket = await (
      await api.call(`/api/sessions/${aki.id}/terminals`, {
        method: 'POST',
        token: aki.token,
        body: JSON.stringify({ mode: 'write' }),
      })
    ).json();
    const learner = await WsTerminal.connect(base, aki.id, writerTicket.ticket, {
      origin: `http://${base}`,
    });
    const viewerTicket = await api.call(`/api/workshops/${id}/learners/${aki.learner}/terminal`, {
      method: 'POST',
      token: admin,
    });
    expect(viewerTicket.status).toBe(200);
    const viewer = await WsTerminal.connect(base, aki.id, (await viewerTicket.json()).ticket, {
      origin: `http://${base}`,
    });
    viewer.type('touch /tmp/viewer-was-here\r');
    learner.type('echo typed-by-$((6*7))-learner; ls /tmp/viewer-was-here\r');
    await viewer.waitForText(/typed-by-42-learner/, 60_000);
    await viewer.waitForText(/No such file/, 30_000);
    await learner.close();
    await viewer.close();

    // A check is recorded and shows on the dashboard.
    const check = await api.call(`/api/sessions/${aki.id}/check`, {
      method: 'POST',
      token: aki.token,
      body: JSON.stringify({ lesson: 'first-containers', step: 'hello' }),
    });
    expect((await check.json()).passed).toBe(false);
    const grid = await (await api.call(`/api/workshops/${id}/learners`, { token: admin })).json();
    expect(grid.learners[0]).toMatchObject({
      name: 'Aki',
      failedAttempts: 1,
      sessionState: 'ready',
    });

    // Restart: the workshop, the learner's session and sandbox, and the admin token all survive.
    await server.close();
    server = await harness.start({ catalog });
    api = client(server.url);
    const again = await api.call(`/api/workshops/${id}/learners`, { token: admin });
    expect(again.status).toBe(200);
    const after = await again.json();
    expect(after.workshop).toMatchObject({ code, state: 'running', learners: 1 });
    expect(after.learners[0]).toMatchObject({ name: 'Aki', failedAttempts: 1 });
    expect((await api.state(aki)).state).toBe('ready');

    // Ending it removes the learner's sandbox.
    const end = await api.call(`/api/workshops/${id}/end`, { method: 'POST', token: admin });
    expect((await end.json()).state).toBe('ended');
    expect((await api.call(`/api/sessions/${aki.id}`, { token: aki.token })).status).toBe(404);
  });
});
