import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlChannel } from '../../../../sandbox-server/src/sandbox/dind/control-channel.ts';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A connected socket pair over loopback: `server` plays the sandbox end. */
async function pair(): Promise<{ client: net.Socket; server: net.Socket }> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
  const client = net.connect((listener.address() as net.AddressInfo).port, '127.0.0.1');
  const server = await accepted;
  closers.push(() => {
    client.destroy();
    server.destroy();
    listener.close();
  });
  return { client, server };
}

describe('the terminal control channel', () => {
  it('resolves a resize on "ok" and rejects on "fail"', async () => {
    const { client, server } = await pair();
    const channel = new ControlChannel(client, 5000);
    const lines: string[] = [];
    server.on('data', (d) => lines.push(d.toString()));
    const first = channel.resize(120.7, 40);
    const second = channel.resize(80, 24);
    server.write('ok\nfa');
    server.write('il\n');
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toThrow(/could not be resized/);
    await expect.poll(() => lines.join('')).toBe('120 40\n80 24\n');
  });

  it('closes the channel when the sandbox sends an endless line, instead of buffering it', async () => {
    const { client, server } = await pair();
    const channel = new ControlChannel(client, 5000);
    const pending = channel.resize(100, 30);
    server.on('error', () => undefined);
    server.write(Buffer.alloc(1024 * 1024, 'x'));
    await expect(pending).rejects.toThrow(/has ended/);
    await expect(channel.resize(100, 30)).rejects.toThrow(/has ended/);
  });

  it('refuses more waiting resizes once the sandbox stops answering', async () => {
    const { client } = await pair();
    const channel = new ControlChannel(client, 60_000);
    const waiting = Array.from({ length: 32 }, () => channel.resize(100, 30).catch(() => 'gone'));
    await expect(channel.resize(100, 30)).rejects.toThrow(/not answering/);
    client.destroy();
    expect(new Set(await Promise.all(waiting))).toEqual(new Set(['gone']));
  });
});
