import fc from 'fast-check';
import { TERMINAL_LIMITS } from '#contracts/terminal-protocol.ts';
import { closePayload, encodeFrame, OPCODES } from './ws-frame.ts';

/**
 * What a hostile client can put on a terminal WebSocket, as fast-check arbitraries: keystrokes,
 * control frames of every shape (malformed JSON, unknown types, huge, negative and NaN resizes),
 * oversized and lying frames, reserved bits and opcodes, unmasked and fragmented frames,
 * control frames where none may be, and frames after a close.
 */

export type FrameStep =
  | { kind: 'keys'; data: Uint8Array }
  | { kind: 'exit' }
  | { kind: 'control'; text: string }
  | { kind: 'invalid-utf8' }
  | { kind: 'oversized'; opcode: number; size: number }
  | { kind: 'ping' | 'pong'; payload: Uint8Array }
  | { kind: 'big-control'; opcode: number; size: number }
  | { kind: 'close'; code: number; reason: string }
  | { kind: 'fragmented'; opcode: number; text: string; pieces: number; pingBetween: boolean }
  | { kind: 'orphan-continuation'; payload: Uint8Array }
  | { kind: 'fragmented-control' }
  | { kind: 'reserved-opcode'; opcode: number }
  | { kind: 'rsv'; bits: number }
  | { kind: 'unmasked'; payload: Uint8Array }
  | { kind: 'lying-length'; claimed: bigint }
  | { kind: 'garbage'; bytes: Uint8Array };

export interface FrameAttack {
  mode: 'write' | 'read';
  steps: FrameStep[];
  /** Bytes per write (the frames split anywhere), or undefined for one write. */
  chunk: number | undefined;
  /** How the client leaves: a clean close, a half-close, a TCP reset, or not at all. */
  ending: 'close' | 'fin' | 'reset' | 'linger';
}

/**
 * Random bytes as typed keys, without the few that hand the line to another program than the
 * shell (C-x C-e opens an editor, C-s stops output, ESC starts bindings): the server only relays
 * keys, and the fuzz is about the server, not about what bash does with them.
 */
const keys = fc
  .uint8Array({ maxLength: 600 })
  .map((bytes) => bytes.map((b) => (b < 0x20 && ![0x03, 0x09, 0x0d].includes(b) ? 0x20 : b)));

const number = fc.oneof(
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '1e309',
    '-1',
    '0',
    '-0',
    '1.5',
    '1e3',
    '99999999999999999999',
    '2147483648',
    '"80"',
    'null',
    'true',
    '[]',
    '{}',
    String(TERMINAL_LIMITS.maxCols),
    String(TERMINAL_LIMITS.maxRows),
  ),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map(String),
  fc.integer({ min: 1, max: 300 }).map(String),
  fc.double().map(String),
);

const controlText = fc.oneof(
  fc.tuple(number, number).map(([c, r]) => `{"type":"resize","cols":${c},"rows":${r}}`),
  fc.tuple(number).map(([n]) => `{"type":"ack","bytes":${n}}`),
  fc
    .constantFrom('exit', 'error', 'ping', '__proto__', 'constructor', 'RESIZE', '', 'resize ')
    .map((t) => `{"type":${JSON.stringify(t)},"cols":80,"rows":24,"code":0}`),
  fc.constant('{"__proto__":{"type":"resize"},"type":"ack","bytes":1}'),
  fc.integer({ min: 1, max: 2000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('', '{', '{"type":', 'null', '"resize"', '[{"type":"resize"}]', '\u0000'),
);

const validStep: fc.Arbitrary<FrameStep> = fc.oneof(
  { weight: 6, arbitrary: keys.map((data) => ({ kind: 'keys' as const, data })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'exit' as const }) },
  { weight: 8, arbitrary: controlText.map((text) => ({ kind: 'control' as const, text })) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('ping' as const, 'pong' as const),
      payload: fc.uint8Array({ maxLength: 125 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('close' as const),
      code: fc.constantFrom(1000, 1001, 1002, 1004, 1005, 1006, 1015, 2000, 3000, 4000, 4999, 0),
      reason: fc.string({ maxLength: 40 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('fragmented' as const),
      opcode: fc.constantFrom(OPCODES.text, OPCODES.binary),
      text: fc.oneof(controlText, fc.constant('{"type":"resize","cols":100,"rows":30}')),
      pieces: fc.integer({ min: 1, max: 8 }),
      pingBetween: fc.boolean(),
    }),
  },
);

/** Steps after which the server must close the socket (bad framing, sizes, encodings). */
const breakingStep: fc.Arbitrary<FrameStep> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'invalid-utf8' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('oversized' as const),
      opcode: fc.constantFrom(OPCODES.text, OPCODES.binary),
      size: fc.integer({ min: TERMINAL_LIMITS.maxPayloadBytes + 1, max: 2 ** 20 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('big-control' as const),
      opcode: fc.constantFrom(OPCODES.ping, OPCODES.pong, OPCODES.close),
      size: fc.integer({ min: 126, max: 70_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 50 })
      .map((payload) => ({ kind: 'orphan-continuation' as const, payload })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'fragmented-control' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf)
      .map((opcode) => ({ kind: 'reserved-opcode' as const, opcode })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 7 }).map((bits) => ({ kind: 'rsv' as const, bits })),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 50 })
      .map((payload) => ({ kind: 'unmasked' as const, payload })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        2n ** 63n - 1n,
        2n ** 53n,
        2n ** 32n,
        BigInt(TERMINAL_LIMITS.maxPayloadBytes + 1),
      )
      .map((claimed) => ({ kind: 'lying-length' as const, claimed })),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((bytes) => ({ kind: 'garbage' as const, bytes })),
  },
);

/** One hostile connection: a few steps, split into writes anywhere, left in some way. */
export const frameAttack: fc.Arbitrary<FrameAttack> = fc.record({
  mode: fc.constantFrom('write' as const, 'write' as const, 'read' as const),
  steps: fc.array(
    fc.oneof({ weight: 12, arbitrary: validStep }, { weight: 1, arbitrary: breakingStep }),
    {
      minLength: 1,
      maxLength: 8,
    },
  ),
  chunk: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
  ending: fc.constantFrom('close' as const, 'fin' as const, 'reset' as const, 'linger' as const),
});

const text = (s: string) => Buffer.from(s, 'utf8');

/** The bytes of one step on the wire (several frames for some). */
export function stepBytes(s: FrameStep): Buffer {
  switch (s.kind) {
    case 'keys':
      return encodeFrame({ opcode: OPCODES.binary, payload: s.data });
    case 'exit':
      return encodeFrame({ opcode: OPCODES.binary, payload: text('\x15exit\r') });
    case 'control':
      return encodeFrame({ opcode: OPCODES.text, payload: text(s.text) });
    case 'invalid-utf8':
      return encodeFrame({ opcode: OPCODES.text, payload: Buffer.from([0x7b, 0xff, 0xfe, 0xc0]) });
    case 'oversized':
      return encodeFrame({ opcode: s.opcode, payload: Buffer.alloc(s.size, 0x61) });
    case 'ping':
      return encodeFrame({ opcode: OPCODES.ping, payload: s.payload });
    case 'pong':
      return encodeFrame({ opcode: OPCODES.pong, payload: s.payload });
    case 'big-control':
      return encodeFrame({ opcode: s.opcode, payload: Buffer.alloc(s.size, 0x62) });
    case 'close':
      return encodeFrame({ opcode: OPCODES.close, payload: closePayload(s.code, s.reason) });
    case 'fragmented':
      return fragments(s.opcode, text(s.text), s.pieces, s.pingBetween);
    case 'orphan-continuation':
      return encodeFrame({ opcode: OPCODES.continuation, payload: s.payload });
    case 'fragmented-control':
      return encodeFrame({ opcode: OPCODES.ping, payload: text('half'), fin: false });
    case 'reserved-opcode':
      return encodeFrame({ opcode: s.opcode, payload: text('?') });
    case 'rsv':
      return encodeFrame({ opcode: OPCODES.binary, payload: text('x'), rsv: s.bits });
    case 'unmasked':
      return encodeFrame({ opcode: OPCODES.binary, payload: s.payload, masked: false });
    case 'lying-length':
      return encodeFrame({
        opcode: OPCODES.binary,
        payload: text('short'),
        claimedLength: s.claimed,
      });
    case 'garbage':
      return Buffer.from(s.bytes);
  }
}

/** A message split into `pieces` frames (continuations), optionally with a ping in between. */
function fragments(opcode: number, payload: Buffer, pieces: number, pingBetween: boolean): Buffer {
  const size = Math.ceil(payload.length / pieces) || 1;
  const frames: Buffer[] = [];
  for (let i = 0; i === 0 || i * size < payload.length; i++) {
    const last = (i + 1) * size >= payload.length;
    frames.push(
      encodeFrame({
        opcode: i === 0 ? opcode : OPCODES.continuation,
        payload: payload.subarray(i * size, (i + 1) * size),
        fin: last,
      }),
    );
    if (pingBetween && !last)
      frames.push(encodeFrame({ opcode: OPCODES.ping, payload: text('p') }));
  }
  return Buffer.concat(frames);
}

/** How many frames a step puts on the wire (for the report). */
export function framesIn(s: FrameStep): number {
  if (s.kind !== 'fragmented') return 1;
  const size = Math.ceil(Buffer.byteLength(s.text) / s.pieces) || 1;
  const n = Math.max(1, Math.ceil(Buffer.byteLength(s.text) / size));
  return s.pingBetween ? 2 * n - 1 : n;
}
