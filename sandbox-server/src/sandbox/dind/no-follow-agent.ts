import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { boundSocket, type ConnectionBounds } from './bounded-socket.ts';

/**
 * An HTTP agent for the inner engine's socket that never follows a symlink there. The socket
 * lives in a folder the learner owns (`/handson` in the sandbox): as root in there they could
 * swap it for a symlink to a host socket — the sandbox engine's own, say — and the server would
 * talk to that instead. So each connection opens the path itself with O_PATH|O_NOFOLLOW, checks
 * it is a socket, and connects through `/proc/self/fd/<fd>`, which is that exact file.
 * What answers there is the learner's too, so with `bounds` every connection has a deadline and
 * a byte budget (bounded-socket.ts), and a `signal` cuts every open connection when it aborts.
 *
 * @example
 * new Docker({ socketPath, agent: new NoFollowSocketAgent(socketPath, INNER_ENGINE_BOUNDS) });
 */

/** Linux's O_PATH (not in Node's fs.constants). */
const O_PATH = 0o10000000;

export class NoFollowSocketAgent extends http.Agent {
  constructor(
    private readonly socketPath: string,
    private readonly bounds?: ConnectionBounds & { signal?: AbortSignal },
  ) {
    super({ keepAlive: false });
  }

  override createConnection(): net.Socket {
    const socket = connectNoFollow(this.socketPath, "the sandbox engine's socket");
    if (!this.bounds) return socket;
    boundSocket(socket, this.bounds, 'the Docker engine in the sandbox');
    const signal = this.bounds.signal;
    if (signal) {
      const cut = () => socket.destroy(signal.reason instanceof Error ? signal.reason : undefined);
      if (signal.aborted) queueMicrotask(cut);
      else {
        signal.addEventListener('abort', cut, { once: true });
        socket.once('close', () => signal.removeEventListener('abort', cut));
      }
    }
    return socket;
  }
}

/**
 * Connect to the unix socket at `socketPath` itself, never to where a symlink there points.
 * `what` names the socket in the error.
 *
 * @example
 * const socket = connectNoFollow(path.join(hostDir, 'tty-1a2b.sock'), 'the terminal socket');
 */
export function connectNoFollow(socketPath: string, what: string): net.Socket {
  const fd = openSync(socketPath, O_PATH | constants.O_NOFOLLOW);
  try {
    if (!fstatSync(fd).isSocket()) throw new Error(`${socketPath} is not ${what} (a symlink?)`);
    // connect(2) happens inside net.connect, so the descriptor may close right after.
    return net.connect(`/proc/self/fd/${fd}`);
  } finally {
    closeSync(fd);
  }
}
