import { randomBytes } from 'node:crypto';

/**
 * WebSocket frames (RFC 6455) written and read by hand, so a fuzzer can send what no client
 * library would: reserved bits and opcodes, unmasked or fragmented control frames, lengths that
 * lie. Only the hostile bench and its specs use this; the server speaks through `ws`.
 */

export const OPCODES = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

export interface FrameSpec {
  opcode: number;
  payload: Uint8Array;
  /** Default true. */
  fin?: boolean;
  /** The three reserved bits (0–7), which a peer without extensions must refuse. */
  rsv?: number;
  /** Clients must mask (default true); an unmasked client frame is a protocol error. */
  masked?: boolean;
  /** A length to claim instead of the payload's own (a frame that lies). */
  claimedLength?: number | bigint;
}

/**
 * The bytes of one frame, as a client would put them on the wire.
 *
 * @example
 * socket.write(encodeFrame({ opcode: OPCODES.text, payload: Buffer.from('{"type":"ack","bytes":1}') }));
 */
export function encodeFrame(frame: FrameSpec): Buffer {
  const fin = frame.fin ?? true;
  const masked = frame.masked ?? true;
  const length = BigInt(frame.claimedLength ?? frame.payload.length);
  const first = (fin ? 0x80 : 0) | ((frame.rsv ?? 0) << 4) | (frame.opcode & 0x0f);
  let header: Buffer;
  if (length < 126n) {
    header = Buffer.from([first, Number(length)]);
  } else if (length < 65536n) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = 126;
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt.asUintN(64, length), 2);
  }
  if (!masked) return Buffer.concat([header, frame.payload]);
  header[1] = header[1]! | 0x80;
  const key = randomBytes(4);
  const body = Buffer.from(frame.payload);
  for (let i = 0; i < body.length; i++) body[i] = body[i]! ^ key[i % 4]!;
  return Buffer.concat([header, key, body]);
}

/** A close frame's payload: the code (2 bytes, big-endian) and a UTF-8 reason. */
export function closePayload(code: number, reason = ''): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code & 0xffff, 0);
  payload.write(reason, 2);
  return payload;
}

export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/**
 * Splits the server's (unmasked) byte stream into frames, however it arrives in chunks.
 *
 * @example
 * const reader = new FrameReader();
 * socket.on('data', (chunk) => { for (const f of reader.push(chunk)) handle(f); });
 */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): ServerFrame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: ServerFrame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  private next(): ServerFrame | undefined {
    const buf = this.pending;
    if (buf.length < 2) return undefined;
    let length = buf[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buf.length < 4) return undefined;
      length = buf.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buf.length < 10) return undefined;
      length = Number(buf.readBigUInt64BE(2));
      offset = 10;
    }
    if (buf.length < offset + length) return undefined;
    this.pending = buf.subarray(offset + length);
    return { opcode: buf[0]! & 0x0f, payload: buf.subarray(offset, offset + length) };
  }
}
