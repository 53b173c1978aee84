import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { encodeFrame, FrameReader, OPCODES } from './ws-frame.ts';

/**
 * A terminal WebSocket opened over a bare TCP socket: the upgrade is written by hand and every
 * later byte is the caller's, so a fuzzer can send frames no library would. Records what the
 * server sent back: its close code, its binary output, and whether the TCP socket closed.
 */
export class RawTerminalSocket {
  /** The code of the server's close frame (1005 when it carried none), once one arrived. */
  closeCode: number | undefined;
  /** The server's terminal output so far (latin1, enough to look for a marker). */
  output = '';
  /** Payloads of the pongs the server sent. */
  private readonly pongs = new Set<string>();
  private onPong: (() => void) | undefined;
  /** Set once the TCP connection is gone, from either side. */
  readonly ended: Promise<void>;
  private readonly reader = new FrameReader();

  private constructor(private readonly socket: net.Socket) {
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
    // A server that resets us (after a close frame, say) is an answer, not a failure.
    socket.on('error', () => undefined);
  }

  /**
   * Upgrade `GET /api/sessions/:id/terminal?ticket=…` on `url`'s server; rejects with the HTTP
   * status line when the server refuses the upgrade.
   */
  static open(url: string, sessionId: string, ticket: string): Promise<RawTerminalSocket> {
    const { hostname, port, host, origin } = new URL(url);
    const socket = net.connect(Number(port), hostname);
    const request = [
      `GET /api/sessions/${encodeURIComponent(sessionId)}/terminal?ticket=${encodeURIComponent(ticket)} HTTP/1.1`,
      `Host: ${host}`,
      `Origin: ${origin}`,
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      '',
      '',
    ].join('\r\n');
    return new Promise((resolve, reject) => {
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        socket.off('error', reject);
        const status = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
        if (!status.startsWith('HTTP/1.1 101')) {
          socket.destroy();
          reject(new Error(`upgrade refused: ${status}`));
          return;
        }
        const raw = new RawTerminalSocket(socket);
        socket.on('data', (data: Buffer) => raw.receive(data));
        if (head.length > end + 4) raw.receive(head.subarray(end + 4));
        resolve(raw);
      };
      socket.on('data', onData);
      socket.once('error', reject);
      socket.once('close', () => reject(new Error('closed before the upgrade was answered')));
      socket.write(request);
    });
  }

  /** Write bytes as they are; false once the socket can no longer take them. */
  write(bytes: Uint8Array): boolean {
    if (this.socket.destroyed || !this.socket.writable) return false;
    this.socket.write(bytes);
    return true;
  }

  /**
   * Ping with `id` and wait for its pong or for the connection to end: either way the server
   * has dealt with every frame sent before. Rejects when it does neither within `timeoutMs`.
   */
  async probe(id: string, timeoutMs: number): Promise<'pong' | 'ended'> {
    this.write(encodeFrame({ opcode: OPCODES.ping, payload: Buffer.from(id, 'latin1') }));
    const ponged = new Promise<'pong'>((resolve) => {
      const check = () => this.pongs.has(id) && resolve('pong');
      this.onPong = check;
      check();
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no pong and no close ${timeoutMs} ms after the frames`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([ponged, this.ended.then(() => 'ended' as const), late]);
    } finally {
      clearTimeout(timer);
      this.onPong = undefined;
    }
  }

  /** Half-close (FIN): the server may still answer. */
  end(): void {
    this.socket.end();
  }

  /** Drop the connection with a TCP reset, mid-anything. */
  reset(): void {
    this.socket.resetAndDestroy();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    for (const frame of this.reader.push(chunk)) {
      if (frame.opcode === OPCODES.binary) this.output += frame.payload.toString('latin1');
      else if (frame.opcode === OPCODES.pong) {
        this.pongs.add(frame.payload.toString('latin1'));
        this.onPong?.();
      } else if (frame.opcode === OPCODES.close) {
        this.closeCode = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
      }
    }
  }
}
