import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeAddress,
  portTakenMessage,
} from '../../../sandbox-server/src/services/port-owner.ts';

describe('who holds a port', () => {
  let server: net.Server | undefined;
  afterEach(
    () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  );

  it('decodes /proc/net/tcp addresses', () => {
    expect(decodeAddress('0100007F')).toBe('127.0.0.1');
    expect(decodeAddress('01004D0A')).toBe('10.77.0.1');
    expect(decodeAddress('00000000000000000000000000000000')).toBe('::');
  });

  it('names the port and the process holding it', async () => {
    server = net.createServer();
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const message = portTakenMessage('127.0.0.1', port);
    expect(message).toContain(`port ${port} on 127.0.0.1 is already taken by pid ${process.pid}`);
  });

  it('says nothing for a free port', async () => {
    server = net.createServer();
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    expect(portTakenMessage('127.0.0.1', port)).toBeUndefined();
  });
});
