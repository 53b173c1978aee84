import { afterAll, describe, expect, it } from 'vitest';
import { HISTORY_DIR } from '../../../sandbox-server/src/terminal/index.ts';
import { client, serverHarness } from '../server/server-harness.ts';
import { WsTerminal } from './support/ws-terminal.ts';

// The terminal bridge inside `handson serve`: real sessions API, real dind sandbox with its
// own inner engine, tickets and the WebSocket on the server's one port.
const harness = serverHarness();
afterAll(async () => {
  await harness.dispose();
});

const READY = { timeout: 120_000, interval: 250 };

async function ticket(
  url: string,
  s: { id: string; token: string },
  body: object = { mode: 'write' },
) {
  const res = await client(url).call(`/api/sessions/${s.id}/terminals`, {
    method: 'POST',
    token: s.token,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { ticket: string }).ticket;
}

describe('terminal in handson serve (dind)', () => {
  it('types docker commands into the sandbox, detaches with C-p C-q, keeps history, survives a restart', async () => {
    let server = await harness.start();
    const api = client(server.url);
    const s = await api.create({ lang: 'en' });
    await expect.poll(async () => (await api.state(s)).state, READY).toBe('ready');
    const base = new URL(server.url).host;

    const term = await WsTerminal.connect(base, s.id, await ticket(server.url, s), {
      origin: `http://${base}`,
    });
    term.type('pwd; docker version --format "inner-{{.Server.Os}}"\r');
    await term.waitForText(/^\/root\/work$/m, 30_000);
    await term.waitForText(/^inner-linux$/m, 60_000);

    // An interactive container, left with the learner's own detach keys.
    term.type('docker run -it --name box busybox sh\r');
    await term.waitForText(/^\/ # $/m, 90_000);
    term.type('\x10\x11');
    // Back at the sandbox prompt (keys typed before the docker client has let go are its own).
    await term.waitForText(/^\/ # .*root@/m, 30_000);
    term.type('docker inspect -f "box-{{.State.Running}}" box\r');
    await term.waitForText(/^box-true$/m, 30_000);

    const sandbox = await server.manager.find(s.id)!.sandbox();
    await expect
      .poll(async () => (await sandbox.exec(['cat', `${HISTORY_DIR}/main`])).stdout, {
        timeout: 10_000,
      })
      .toMatch(/docker run -it --name box busybox sh/);

    // A read-only viewer (the instructor) sees the same screen and cannot type.
    const viewer = await WsTerminal.connect(
      base,
      s.id,
      await ticket(server.url, s, { mode: 'read' }),
      {
        origin: `http://${base}`,
      },
    );
    await viewer.waitForText(/^box-true$/m);
    viewer.type('echo from-viewer\r');
    term.type('echo before-restart-$((40+2))\r');
    await viewer.waitForText(/^before-restart-42$/m);
    expect(term.text()).not.toContain('from-viewer');

    // A foreign page cannot open the terminal even with a valid ticket.
    await expect(
      WsTerminal.connect(base, s.id, await ticket(server.url, s), {
        origin: 'http://evil.example',
      }),
    ).rejects.toThrow('HTTP 403');

    // Restart the server: the sandbox is re-adopted and the screen comes back.
    await server.close();
    server = await harness.start({ port: Number(base.split(':')[1]) });
    await expect.poll(async () => (await api.state(s)).state, READY).toBe('ready');
    const again = await WsTerminal.connect(base, s.id, await ticket(server.url, s), {
      origin: `http://${base}`,
    });
    await again.waitForText(/^before-restart-42$/m, 30_000);
    again.type('echo after-restart\r');
    await again.waitForText(/^after-restart$/m, 30_000);
    await again.close();
  });
});
