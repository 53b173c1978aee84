import net from 'node:net';

/** What the server did with one raw connection. */
export interface RawHttpAnswer {
  /** Status codes of every response on the connection, in order. */
  statuses: number[];
  /** Each response's text (status line, headers, the start of its body), in the same order. */
  responses: string[];
  /** Whether the server closed (or reset) the connection. */
  closed: boolean;
}

const STATUS = /(?:^|\r\n)HTTP\/1\.[01] (\d{3}) /g;

/**
 * Send `bytes` on a new connection to `host:port` (in writes of `chunk` bytes), then leave as
 * told and collect every status line until the server closes, or until `timeoutMs`.
 * `fin` half-closes after writing; `reset` drops the connection at once (nothing to collect);
 * `hold` leaves it open, mid-request, for the server to time out.
 *
 * @example
 * const answer = await rawHttp('127.0.0.1', 4321, Buffer.from('GET / HTTP/1.1\r\n\r\n'), { ending: 'fin', timeoutMs: 5000 });
 */
export function rawHttp(
  host: string,
  port: number,
  bytes: Buffer,
  opts: { ending: 'fin' | 'reset' | 'hold'; chunk?: number; timeoutMs: number },
): Promise<RawHttpAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    const received: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(received).toString('latin1');
      const matches = [...text.matchAll(STATUS)];
      resolve({
        statuses: matches.map((m) => Number(m[1])),
        // Each from its status line (a match may start with the CRLF before it) to the next.
        responses: matches.map((m, i) =>
          text.slice(text.indexOf('HTTP/', m.index), matches[i + 1]?.index).slice(0, 4096),
        ),
        closed,
      });
    };
    const timer = setTimeout(() => finish(false), opts.timeoutMs);
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('close', () => finish(true));
    // A reset from the server after it answered is a close, not a failure.
    socket.on('error', () => finish(true));
    socket.once('connect', () => {
      const size = Math.max(opts.chunk ?? bytes.length, Math.ceil(bytes.length / 200), 1);
      for (let at = 0; at < bytes.length; at += size) socket.write(bytes.subarray(at, at + size));
      if (opts.ending === 'fin') socket.end();
      if (opts.ending === 'reset') {
        socket.resetAndDestroy();
        finish(true);
      }
    });
  });
}
