import { createServer } from 'node:net';

/**
 * A TCP port on loopback that nobody listens on right now (the kernel picks it), for a
 * service that must not assume a well-known port.
 *
 * @example
 * const port = await freePort(); // 41873
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
