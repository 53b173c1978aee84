import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerHeaders,
  FORWARDED_BY,
  forwardHeaders,
  OwnerForwarding,
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
