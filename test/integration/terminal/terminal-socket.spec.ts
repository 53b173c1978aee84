import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CLOSE_CODES, TERMINAL_LIMITS } from '#contracts/terminal-protocol.ts';
import { engine } from './support/container-sandbox.ts';
import {
  requestTicket,
  startTerminalServer,
  type TerminalTestServer,
} from './support/terminal-server.ts';
import { WsTerminal } from './support/ws-terminal.ts';

// The terminal bridge end to end: HTTP tickets, the WebSocket protocol, a real Engine API exec
// TTY into a container on the project's engine, tmux and bash inside it.
const docker = engine();
let server: TerminalTestServer;
let session: { id: string; token: string };
let counter = 0;

async function open(opts: { terminal?: string; mode?: 'write' | 'read'; ack?: boolean } = {}) {
  const terminal = opts.terminal ?? `t${++counter}`;
  const { status, json } = await requestTicket(server.base, session, {
    terminal,
    mode: opts.mode ?? 'write',
  });
  expect(status).toBe(200);
  const client = await WsTerminal.connect(server.base, session.id, json.ticket, {
    ack: opts.ack,
    origin: `http://${server.base}`,
  });
  return { client, terminal };
}

beforeAll(async () => {
  server = await startTerminalServer(docker);
  session = await server.createSession();
});
afterAll(async () => {
  await server?.stop();
});
// One session serves every test, and a session runs at most 8 shells: end the last test's.
beforeEach(async () => {
  const registry = server.ctx.terminals.registry(session.id);
  await Promise.all((registry?.ids() ?? []).map((id) => registry?.get(id)?.close()));
});

describe('terminal WebSocket', () => {
  it('echoes what the writer types', async () => {
    const { client } = await open();
    client.type('echo hello-$((6*7))\r');
    await client.waitForText(/^hello-42$/m);
    await client.close();
  });

  it('starts shells in /root/work and writes each command to the history file as it runs', async () => {
    const { client, terminal } = await open();
    client.type('pwd; echo marker-one\r');
    await client.waitForText(/^\/root\/work$/m);
    client.type(`cat /root/.handson/history/${terminal}\r`);
    await client.waitForText(/^pwd; echo marker-one$/m);
    await client.close();
  });

  it('follows a resize: stty size reports the new rows and columns', async () => {
    const { client } = await open();
    client.control({ type: 'resize', cols: 132, rows: 43 });
    client.type('stty size\r');
    await client.waitForText(/^43 132$/m);
    await client.close();
  });

  it('keeps Japanese text and emoji intact when their bytes are split across frames', async () => {
    const { client } = await open();
    const bytes = Buffer.from('echo 日本語テキスト🎉🐳 done\r');
    // Split inside multi-byte characters: every 3 bytes starting mid-character.
    for (let i = 0; i < bytes.length; i += 3) client.type(bytes.subarray(i, i + 3));
    await client.waitForText(/^日本語テキスト🎉🐳 done$/m);
    await client.close();
  });

  it('reconnecting shows the previous screen first', async () => {
    const first = await open();
    first.client.type('echo before-reconnect-$((1+1))\r');
    await first.client.waitForText(/^before-reconnect-2$/m);
    await first.client.close();
    const again = await open({ terminal: first.terminal });
    await again.client.waitForText(/^before-reconnect-2$/m);
    again.client.type('echo after\r');
    await again.client.waitForText(/^after$/m);
    await again.client.close();
  });

  it("lets a read-only viewer watch the writer's output but not type", async () => {
    const writer = await open();
    const viewer = await open({ terminal: writer.terminal, mode: 'read' });
    viewer.client.type('echo from-viewer\r');
    writer.client.type('echo from-writer\r');
    await viewer.client.waitForText(/^from-writer$/m);
    await writer.client.waitForText(/^from-writer$/m);
    expect(writer.client.text()).not.toContain('from-viewer');
    await viewer.client.close();
    await writer.client.close();
  });

  it('after `exit 3`, the shell reports its exit code and a new ticket starts a new shell', async () => {
    const first = await open();
    first.client.type(`echo $$ > /tmp/${first.terminal}.pid; exit 3\r`);
    await expect
      .poll(() => first.client.controls.find((c) => c.type === 'exit'), { timeout: 10_000 })
      .toEqual({ type: 'exit', code: 3 });
    await expect.poll(() => first.client.closeCode).toBe(CLOSE_CODES.exited);
    const second = await open({ terminal: first.terminal });
    second.client.type(`[ $$ != $(cat /tmp/${first.terminal}.pid) ] && echo new-shell\r`);
    await second.client.waitForText(/^new-shell$/m);
    await second.client.close();
  });

  it('a writer that stops acking holds the shell back: bounded memory, and Ctrl-C works at once', async () => {
    const { client } = await open({ ack: false });
    await client.waitForText(/#\s*$/m);
    const rssBefore = process.memoryUsage().rss;
    client.type('cat /dev/urandom | base64\r');
    // It gets the first 512 KiB, then the shell is paused.
    await expect
      .poll(() => client.received, { timeout: 10_000 })
      .toBeGreaterThan(TERMINAL_LIMITS.highWaterBytes);
    const plateau = client.received;
    await new Promise((r) => setTimeout(r, 1500));
    expect(client.received).toBeLessThan(plateau + TERMINAL_LIMITS.highWaterBytes);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(32 * 1024 * 1024);
    // Ctrl-C reaches the shell although output is held back; acking again shows the prompt.
    const started = Date.now();
    client.type('\x03');
    client.acking = true;
    client.flushAck();
    client.type('echo interrupted-$((2*3))\r');
    await client.waitForText(/^interrupted-6$/m, 15_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    await client.close();
  });

  it('a slow viewer does not slow the writer', async () => {
    const writer = await open();
    const viewer = await open({ terminal: writer.terminal, mode: 'read' });
    viewer.client.ws.pause(); // stops reading its socket entirely
    const started = Date.now();
    writer.client.type('head -c 8000000 /dev/zero | base64 -w 100 | tail -c 20; echo flood-done\r');
    await writer.client.waitForText(/^flood-done$/m, 60_000);
    expect(Date.now() - started).toBeLessThan(60_000);
    viewer.client.ws.resume();
    await viewer.client.close();
    await writer.client.close();
  });

  it('serves as many terminals as a session may run at once, each echoing its own text', async () => {
    const max = TERMINAL_LIMITS.maxTerminalsPerSession;
    const clients = await Promise.all(Array.from({ length: max }, () => open()));
    const refused = await requestTicket(server.base, session, {
      terminal: 'one-more',
      mode: 'write',
    });
    expect(refused.status).toBe(429);
    for (const [i, { client }] of clients.entries()) client.type(`echo many-${i}-$((${i}+1000))\r`);
    await Promise.all(
      clients.map(({ client }, i) =>
        client.waitForText(new RegExp(`^many-${i}-${i + 1000}$`, 'm'), 150_000),
      ),
    );
    await Promise.all(clients.map(({ client }) => client.close()));
    // They are shells, not just sockets: end them so later specs get the machine back.
    const registry = server.ctx.terminals.registry(session.id)!;
    await Promise.all(clients.map(({ terminal }) => registry.get(terminal)?.close()));
  }, 240_000);
});

describe('terminal WebSocket refusals and bad input', () => {
  it('refuses a bad ticket with 401 and a used ticket with 401, before upgrading', async () => {
    await expect(WsTerminal.connect(server.base, session.id, 'not-a-ticket')).rejects.toThrow(
      'HTTP 401',
    );
    const { json } = await requestTicket(server.base, session, {
      terminal: 'refusals',
      mode: 'write',
    });
    const client = await WsTerminal.connect(server.base, session.id, json.ticket);
    await expect(WsTerminal.connect(server.base, session.id, json.ticket)).rejects.toThrow(
      'HTTP 401',
    );
    await client.close();
  });

  it('refuses a foreign Origin with 403', async () => {
    const { json } = await requestTicket(server.base, session, { mode: 'write' });
    await expect(
      WsTerminal.connect(server.base, session.id, json.ticket, { origin: 'https://evil.example' }),
    ).rejects.toThrow('HTTP 403');
  });

  it('refuses a ticket request without the bearer token (401) or with a bad body (400)', async () => {
    const noToken = await requestTicket(server.base, { id: session.id, token: 'wrong' });
    expect(noToken.status).toBe(401);
    const bad = await requestTicket(server.base, session, { mode: 'admin' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('mode');
  });

  it('answers invalid JSON and unknown control types with an error frame and keeps working', async () => {
    const { client } = await open();
    client.ws.send('{not json');
    client.ws.send(JSON.stringify({ type: 'reboot' }));
    client.ws.send(JSON.stringify({ type: 'resize', cols: -1, rows: 1e9 }));
    await expect
      .poll(() => client.controls.filter((c) => c.type === 'error').length, { timeout: 10_000 })
      .toBe(3);
    client.type('echo still-alive\r');
    await client.waitForText(/^still-alive$/m);
    await client.close();
  });

  it('closes a socket that sends a frame over the size limit (1009), and others are unaffected', async () => {
    const other = await open();
    const { client } = await open();
    client.type(Buffer.alloc(TERMINAL_LIMITS.maxPayloadBytes + 1, 0x61));
    await expect.poll(() => client.closeCode).toBe(1009);
    other.client.type('echo unaffected\r');
    await other.client.waitForText(/^unaffected$/m);
    await other.client.close();
  });

  it('drops input beyond the rate bound with an error frame, and the shell keeps answering', async () => {
    const { client } = await open();
    // The flood goes to a `cat` that throws it away, so only the bridge is under test.
    client.type('stty -echo; echo sink-ready; cat > /dev/null\r');
    await client.waitForText(/^sink-ready$/m);
    // Five frames of 60 KiB at once: past the per-second input bound.
    const chunk = Buffer.from(`${'a'.repeat(99)}\n`.repeat(600));
    for (let i = 0; i < 5; i++) client.type(chunk);
    await expect
      .poll(
        () =>
          client.controls.filter(
            (c) => c.type === 'error' && /input faster than/.test(String(c.message)),
          ).length,
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    expect(client.closeCode).toBeUndefined();
    // Typing right after the flood is dropped too, until the bound refills: type again each
    // second until the shell answers.
    await expect
      .poll(
        () => {
          if (!/^rate-ok$/m.test(client.text())) client.type('\x03stty echo; echo rate-ok\r');
          return client.text();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toMatch(/^rate-ok$/m);
    await client.close();
  });

  it('survives binary garbage typed into the shell', async () => {
    const { client } = await open();
    // Bytes that are not UTF-8 (lone continuation and lead bytes, 0xfe/0xff) straight to the shell.
    const garbage = Buffer.from(Array.from({ length: 600 }, (_, i) => 0x80 + ((i * 7919) % 128)));
    client.type(garbage);
    client.type('\x15echo after-garbage\r');
    await client.waitForText(/^after-garbage$/m, 20_000);
    await client.close();
  });

  it('closes the sockets of a session that ends', async () => {
    const other = await server.createSession();
    const { json } = await requestTicket(server.base, other, { mode: 'write' });
    const client = await WsTerminal.connect(server.base, other.id, json.ticket);
    client.type('echo up\r');
    await client.waitForText(/^up$/m);
    await server.endSession(other.id);
    await expect.poll(() => client.closeCode, { timeout: 10_000 }).toBe(CLOSE_CODES.sessionEnded);
  });
});

describe('terminal WebSocket keepalive', () => {
  it('drops a peer that stops answering pings, and keeps one that answers', async () => {
    const quick = await startTerminalServer(docker, undefined, { pingIntervalMs: 200 });
    try {
      const s = await quick.createSession();
      const origin = `http://${quick.base}`;
      const healthy = await WsTerminal.connect(
        quick.base,
        s.id,
        (await requestTicket(quick.base, s, { terminal: 'alive', mode: 'write' })).json.ticket,
        { origin },
      );
      const { json } = await requestTicket(quick.base, s, { terminal: 'dead', mode: 'write' });
      // A peer whose network went away: it never answers a ping.
      const dead = new WebSocket(
        `ws://${quick.base}/api/sessions/${s.id}/terminal?ticket=${json.ticket}`,
        { origin, autoPong: false },
      );
      const closed = new Promise<number>((resolve) => dead.on('close', (code) => resolve(code)));
      await new Promise((resolve) => dead.on('open', resolve));
      expect(await closed).toBe(1006); // terminated, no close frame
      healthy.type('echo still-here\r');
      await healthy.waitForText(/^still-here$/m, 20_000);
      expect(healthy.closeCode).toBeUndefined();
      await healthy.close();
    } finally {
      await quick.stop();
    }
  });
});
