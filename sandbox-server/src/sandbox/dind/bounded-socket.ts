import type net from 'node:net';

/**
 * Bounds for a connection to an engine the learner controls. The inner engine's socket is the
 * learner's: they can put anything behind it (`socat … EXEC:'cat /dev/zero'`, an endless slow
 * trickle, a JSON list of a million containers). Each connection gets a deadline and a byte
 * budget for everything read from it; past either the socket is destroyed with an error the
 * caller's request rejects with, so no answer can hold the server's time or memory.
 */

export interface ConnectionBounds {
  /** Bytes one connection may read (headers and body together). */
  maxBytes: number;
  /** Milliseconds from connecting until the connection is cut, answered or not. */
  deadlineMs: number;
}

/** An `EMSGSIZE` error: the peer sent more than its budget. */
export function tooLargeError(what: string, maxBytes: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`${what} sent more than ${formatBytes(maxBytes)} in one answer`), {
    code: 'EMSGSIZE',
  });
}

/** An `ETIMEDOUT` error: the peer did not finish answering in time. */
export function deadlineError(what: string, deadlineMs: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`${what} did not answer within ${deadlineMs / 1000} s`), {
    code: 'ETIMEDOUT',
  });
}

/**
 * "8 MiB", "512 KiB", "100 B".
 *
 * @example
 * formatBytes(8 * 2 ** 20) // '8 MiB'
 */
export function formatBytes(n: number): string {
  if (n >= 2 ** 20 && n % 2 ** 20 === 0) return `${n / 2 ** 20} MiB`;
  if (n >= 2 ** 10 && n % 2 ** 10 === 0) return `${n / 2 ** 10} KiB`;
  return `${n} B`;
}

/**
 * Cut `socket` once it has read more than `bounds.maxBytes` or lived `bounds.deadlineMs`.
 * Bytes are counted where the socket hands them to its reader (`push`), not with a `data`
 * listener, which would switch a hijacked stream to flowing before its owner listens.
 *
 * @example
 * const socket = boundSocket(net.connect(path), { maxBytes: 8 * 2 ** 20, deadlineMs: 15_000 }, 'the engine');
 */
export function boundSocket<S extends net.Socket>(
  socket: S,
  bounds: ConnectionBounds,
  what: string,
): S {
  let read = 0;
  const push = socket.push.bind(socket);
  socket.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (chunk !== null && chunk !== undefined && !socket.destroyed) {
      read += (chunk as Buffer).length;
      if (read > bounds.maxBytes) {
        socket.destroy(tooLargeError(what, bounds.maxBytes));
        return false;
      }
    }
    return push(chunk, encoding);
  };
  const timer = setTimeout(
    () => socket.destroy(deadlineError(what, bounds.deadlineMs)),
    bounds.deadlineMs,
  );
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  return socket;
}
