import type { Server } from 'node:http';

/** Whether `host` reaches this machine only (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Listen on `host:port`, with an error that says what to do when the port is taken or not
 * allowed.
 *
 * @example
 * await listen(server, 4321, '127.0.0.1');
 */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(
          new Error(
            `Port ${port} on ${host} is already in use (another \`handson serve\`?). Stop that process, or choose another port with --port.`,
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new Error(
            `Not allowed to listen on ${host}:${port}; choose a port above 1023 with --port.`,
          ),
        );
      } else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
