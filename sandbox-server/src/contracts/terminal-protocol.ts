import { z } from 'zod';

/**
 * The terminal WebSocket wire protocol, shared by the server and the browser client.
 *
 * Binary frames carry terminal bytes both ways (UTF-8 may be split anywhere: both ends feed
 * raw bytes to a terminal emulator, nobody decodes mid-stream). Text frames carry the small
 * JSON control messages below. Keepalive is WebSocket ping/pong, not a JSON message.
 */

/** Sizes, rates and thresholds both ends agree on. */
export const TERMINAL_LIMITS = {
  /** Largest frame either side accepts; bigger frames close the socket (1009). */
  maxPayloadBytes: 64 * 1024,
  /** The shell is paused while the writer has more than this many bytes unacked… */
  highWaterBytes: 512 * 1024,
  /** …and resumed once the writer's unacked bytes fall below this. */
  lowWaterBytes: 128 * 1024,
  /** A client acks after rendering about this many bytes (well below the low-water mark). */
  ackEveryBytes: 32 * 1024,
  /** Input a client may send per second (a large paste), with the same burst allowance. */
  inputBytesPerSecond: 256 * 1024,
  /**
   * Control messages a client may send per second. Acks come at up to one per rendered chunk
   * during a flood (a few hundred a second), so this only stops a client spinning in a loop.
   */
  controlMessagesPerSecond: 5000,
  /** Resizes reach the shell at most this often; in between, the latest one wins. */
  resizeIntervalMs: 50,
  maxCols: 1000,
  maxRows: 500,
  /** A ticket must be used within this time. */
  ticketTtlMs: 30_000,
  /** The server pings every interval; a peer that missed one pong is dropped. */
  pingIntervalMs: 20_000,
  /**
   * Per session, not per address (a class shares one address): shells running at once,
   * tickets not yet used, and WebSockets open (a writer and viewers on each terminal).
   */
  maxTerminalsPerSession: 8,
  maxTicketsPerSession: 16,
  maxSocketsPerSession: 16,
} as const;

/** Terminal ids: the main shell is `main`; a page may open more (`t2`, `logs`, …). */
export const TERMINAL_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const MAIN_TERMINAL = 'main';

export const terminalModeSchema = z
  .enum(['write', 'read'])
  .describe('write: types into the shell and holds it back by acks; read: watches only');
export type TerminalMode = z.infer<typeof terminalModeSchema>;

/** Body of `POST /api/sessions/:id/terminals`. */
export const ticketRequestSchema = z.object({
  terminal: z
    .string()
    .regex(TERMINAL_ID_PATTERN, 'expected 1-32 lowercase letters, digits or dashes')
    .optional()
    .describe('which terminal; omitted = the main shell (a new one if it has exited)'),
  mode: terminalModeSchema.default('write'),
});
export type TicketRequest = z.infer<typeof ticketRequestSchema>;

/** Answer of `POST /api/sessions/:id/terminals`. */
export interface TicketResponse {
  ticket: string;
  terminal: string;
}

const resizeSchema = z.object({
  type: z.literal('resize'),
  cols: z.number().int().min(1).max(TERMINAL_LIMITS.maxCols),
  rows: z.number().int().min(1).max(TERMINAL_LIMITS.maxRows),
});
const ackSchema = z.object({
  type: z.literal('ack'),
  /** Bytes of output the client consumed (rendered) since its last ack. */
  bytes: z
    .number()
    .int()
    .min(0)
    .max(2 ** 40),
});

export const clientControlSchema = z.discriminatedUnion('type', [resizeSchema, ackSchema]);
export type ClientControl = z.infer<typeof clientControlSchema>;
export type ResizeMessage = z.infer<typeof resizeSchema>;
export type AckMessage = z.infer<typeof ackSchema>;

export const serverControlSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('exit'), code: z.number().int() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type ServerControl = z.infer<typeof serverControlSchema>;

/** Close codes the server uses beyond the standard ones, so a client knows whether to retry. */
export const CLOSE_CODES = {
  /** The shell exited; ask for a new ticket to start a new one. */
  exited: 4000,
  /** Another writer took over this terminal (the page opened in another tab). */
  replaced: 4001,
  /** A read-only viewer fell too far behind and was dropped; reconnecting is fine. */
  tooSlow: 4002,
  /** The session ended (expired, deleted, reset). */
  sessionEnded: 4003,
  /** The client broke the protocol repeatedly. */
  protocol: 4004,
} as const;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Parse a text frame from a client; never throws.
 *
 * @example
 * const r = parseClientControl('{"type":"resize","cols":120,"rows":40}');
 * if (r.ok && r.value.type === 'resize') tty.resize(r.value.cols, r.value.rows);
 */
export function parseClientControl(text: string): ParseResult<ClientControl> {
  return parseWith(clientControlSchema, text);
}

/**
 * Parse a text frame from the server; never throws.
 *
 * @example
 * const r = parseServerControl(event.data);
 * if (r.ok && r.value.type === 'exit') showExited(r.value.code);
 */
export function parseServerControl(text: string): ParseResult<ServerControl> {
  return parseWith(serverControlSchema, text);
}

function parseWith<T>(schema: z.ZodType<T>, text: string): ParseResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'control frame is not JSON: send {"type":"resize"|"ack",…}' };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `field "${issue.path.join('.')}": ` : '';
  return { ok: false, error: `bad control message: ${where}${issue?.message ?? 'invalid'}` };
}

/** Serialize a control message (either direction). */
export function encodeControl(message: ClientControl | ServerControl): string {
  return JSON.stringify(message);
}
