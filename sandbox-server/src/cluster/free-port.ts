import net from 'node:net';

/**
 * A TCP port on 127.0.0.1 that nothing listens on now, chosen by the kernel (an ephemeral one,
 * so never the fixed port of a running `npm start` server).
 *
 * @example
 * const port = await freePort(); // e.g. 41873
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
