import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import {
  answerHeaders,
  FORWARDED_BY,
  forwardHeaders,
  OwnerForwarding,
  upgradeHead,
} from '../../../sandbox-server/src/http/owner-forwarding.ts';

/** A stand-in for the owning replica: it answers what it received. */
let owner: http.Server;
let ownerUrl: string;
const received: {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}[] = [];

beforeAll(async () => {
  owner = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-handson-session': 's1',
        'set-cookie': ['a=1', 'b=2'],
      });
      res.end(JSON.stringify({ served: 'owner' }));
    });
  });
  await new Promise<void>((resolve) => owner.listen(0, '127.0.0.1', resolve));
  ownerUrl = `http://127.0.0.1:${(owner.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => owner.close(() => resolve())));

const request = (headers: Record<string, string> = {}) => ({
  method: 'POST',
  path: '/api/workshops/w1/learners/l1/goto?x=1',
  headers: new Headers({ authorization: 'Bearer admin', host: 'lb:80', ...headers }),
  body: new TextEncoder().encode('{"lesson":"a","step":"b"}').buffer as ArrayBuffer,
  client: '203.0.113.9',
});

describe('passing an action on a session to the replica that owns it', () => {
  it('sends the request to the owner and hands its answer back, without the session header', async () => {
    const forwarding = new OwnerForwarding({ ownerAddress: async () => ownerUrl }, 'replica-1');
    const answer = await forwarding.toOwner('s1', request());
    expect(answer?.status).toBe(200);
    expect(await answer?.json()).toEqual({ served: 'owner' });
    // The load balancer must not take the forwarding replica for the session's home.
    expect(answer?.headers.get('x-handson-session')).toBeNull();
    expect(answer?.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const got = received.at(-1)!;
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/api/workshops/w1/learners/l1/goto?x=1');
    expect(got.body).toBe('{"lesson":"a","step":"b"}');
    expect(got.headers.authorization).toBe('Bearer admin');
    expect(got.headers[FORWARDED_BY]).toBe('replica-1');
    expect(got.headers['x-forwarded-for']).toBe('203.0.113.9');
  });

  it('passes nothing on when no other replica owns the session', async () => {
    const forwarding = new OwnerForwarding({ ownerAddress: async () => undefined }, 'replica-1');
    const before = received.length;
    expect(await forwarding.toOwner('s1', request())).toBeUndefined();
    expect(received).toHaveLength(before);
  });

  it('never passes on a request that was already passed on (no bouncing between replicas)', async () => {
    const forwarding = new OwnerForwarding({ ownerAddress: async () => ownerUrl }, 'replica-2');
    const before = received.length;
    expect(
      await forwarding.toOwner('s1', request({ [FORWARDED_BY]: 'replica-1' })),
    ).toBeUndefined();
    expect(received).toHaveLength(before);
  });

  it('answers undefined when the owner does not answer (it just died)', async () => {
    const dead = http.createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const forwarding = new OwnerForwarding(
      { ownerAddress: async () => `http://127.0.0.1:${port}` },
      'replica-1',
    );
    expect(await forwarding.toOwner('s1', request())).toBeUndefined();
  });

  it('drops connection headers and a client-written X-Forwarded-For', () => {
    const headers = forwardHeaders(
      new Headers({
        connection: 'keep-alive',
        host: 'lb',
        'x-forwarded-for': '6.6.6.6',
        'content-length': '3',
        origin: 'http://lb',
      }),
      'not-an-address',
      'replica-1',
    );
    expect([...headers.keys()].sort()).toEqual(['origin', FORWARDED_BY].sort());
    expect([
      ...answerHeaders(new Headers({ 'content-encoding': 'gzip', 'x-a': '1' })).keys(),
    ]).toEqual(['x-a']);
  });
});

describe('passing a terminal WebSocket to the replica that owns its session', () => {
  it('joins the client to the owner: the owner sees the upgrade marked, frames flow both ways', async () => {
    const ownerServer = http.createServer();
    const wss = new WebSocketServer({ noServer: true });
    const upgrades: http.IncomingHttpHeaders[] = [];
    ownerServer.on('upgrade', (req, socket, head) => {
      upgrades.push(req.headers);
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('message', (data) => ws.send(`owner heard ${String(data)}`));
      });
    });
    await new Promise<void>((resolve) => ownerServer.listen(0, '127.0.0.1', resolve));
    const ownerAt = `http://127.0.0.1:${(ownerServer.address() as AddressInfo).port}`;
    const forwarding = new OwnerForwarding({ ownerAddress: async () => ownerAt }, 'replica-2');
    const front = http.createServer();
    front.on('upgrade', (req, socket, head) => {
      void forwarding.upgradeAtOwner('s1', req, socket, head).then((passed) => {
        if (!passed) socket.destroy();
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const frontPort = (front.address() as AddressInfo).port;
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${frontPort}/api/sessions/s1/terminal?ticket=t`, {
        headers: { origin: 'http://lb', 'x-forwarded-for': '6.6.6.6' },
      });
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      const reply = new Promise<string>((resolve) => ws.once('message', (d) => resolve(String(d))));
      ws.send('hello');
      expect(await reply).toBe('owner heard hello');
      expect(upgrades[0]?.[FORWARDED_BY]).toBe('replica-2');
      expect(upgrades[0]?.host).toBe(new URL(ownerAt).host);
      expect(upgrades[0]?.origin).toBe('http://lb');
      expect(upgrades[0]?.['x-forwarded-for']).toBeUndefined();
      ws.close();
    } finally {
      for (const client of wss.clients) client.terminate();
      front.closeAllConnections();
      ownerServer.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await new Promise<void>((resolve) => ownerServer.close(() => resolve()));
    }
  });

  it('declines an upgrade already passed on once, or for a session no other replica owns', async () => {
    const socket = { destroy() {} } as never;
    const req = { headers: { [FORWARDED_BY]: 'replica-1' } } as never;
    const asked: string[] = [];
    const forwarding = new OwnerForwarding(
      {
        ownerAddress: async (id) => {
          asked.push(id);
          return undefined;
        },
      },
      'replica-2',
    );
    expect(await forwarding.upgradeAtOwner('s1', req, socket, Buffer.alloc(0))).toBe(false);
    expect(asked).toEqual([]);
    expect(
      await forwarding.upgradeAtOwner('s1', { headers: {} } as never, socket, Buffer.alloc(0)),
    ).toBe(false);
    expect(asked).toEqual(['s1']);
  });

  it('writes the upgrade head with the owner as Host and the mark last', () => {
    expect(
      upgradeHead(
        'GET',
        '/api/sessions/s1/terminal?ticket=t',
        ['Host', 'lb', 'X-Forwarded-For', '1.2.3.4', 'Upgrade', 'websocket', FORWARDED_BY, 'x'],
        '127.0.0.1:4400',
        'replica-4401',
      ),
    ).toBe(
      `GET /api/sessions/s1/terminal?ticket=t HTTP/1.1\r\nHost: 127.0.0.1:4400\r\nUpgrade: websocket\r\n${FORWARDED_BY}: replica-4401\r\n\r\n`,
    );
  });
});
