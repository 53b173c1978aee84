import type { WebSocket } from 'ws';
import {
  CLOSE_CODES,
  encodeControl,
  parseClientControl,
  type ServerControl,
  TERMINAL_LIMITS,
  type TerminalMode,
} from '#contracts/terminal-protocol.ts';
import { TokenBucket } from './flow-control.ts';
import type { Attachment, TerminalClient, TerminalSession } from './terminal-session.ts';

/** Protocol errors tolerated (each answered with an `error` frame) before the socket is closed. */
const MAX_PROTOCOL_ERRORS = 20;
/** Frames held while the shell is still starting. */
const MAX_EARLY_FRAMES = 64;

/**
 * Binds one WebSocket to a terminal: bytes and control frames in, screen and output out.
 * Everything a client can send is bounded (frame size by ws's maxPayload, input and control
 * rates by token buckets) and nothing it sends can throw past this function.
 *
 * @example
 * const bound = bindSocket(ws, 'write');
 * bound.attach(await registry.open('main'));
 */
export function bindSocket(ws: WebSocket, mode: TerminalMode, onActivity: () => void = () => {}) {
  const input = new TokenBucket(TERMINAL_LIMITS.inputBytesPerSecond);
  const controls = new TokenBucket(TERMINAL_LIMITS.controlMessagesPerSecond);
  const early: { data: Buffer; isBinary: boolean }[] = [];
  let attachment: Attachment | undefined;
  let errors = 0;
  let closed = false;

  const client: TerminalClient = {
    mode,
    sendBytes: (chunk) => {
      if (ws.readyState === ws.OPEN) ws.send(chunk, { binary: true });
    },
    sendControl: (message) => send(message),
    bufferedBytes: () => ws.bufferedAmount,
    close: (code, reason) => {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
    },
  };

  function send(message: ServerControl): void {
    if (ws.readyState === ws.OPEN) ws.send(encodeControl(message));
  }

  function protocolError(message: string): void {
    send({ type: 'error', message });
    if (++errors > MAX_PROTOCOL_ERRORS) {
      ws.close(CLOSE_CODES.protocol, 'too many protocol errors');
    }
  }

  function handle(data: Buffer, isBinary: boolean): void {
    if (!attachment) {
      if (early.length >= MAX_EARLY_FRAMES) protocolError('terminal is starting; wait');
      else early.push({ data, isBinary });
      return;
    }
    if (isBinary) {
      // Read-only viewers' keystrokes are ignored, silently: the page may still forward them.
      if (mode === 'read') return;
      if (!input.take(data.length)) {
        protocolError(`input faster than ${TERMINAL_LIMITS.inputBytesPerSecond} B/s dropped`);
        return;
      }
      onActivity();
      attachment.input(data);
      return;
    }
    if (!controls.take(1)) {
      protocolError('too many control messages; slow down');
      return;
    }
    const parsed = parseClientControl(data.toString('utf8'));
    if (parsed.ok) attachment.control(parsed.value);
    else protocolError(parsed.error);
  }

  ws.on('message', (data, isBinary) => {
    try {
      handle(toBuffer(data), isBinary);
    } catch (error) {
      protocolError(`could not handle that frame: ${(error as Error).message}`);
    }
  });
  ws.on('close', () => {
    closed = true;
    attachment?.detach();
  });
  // ws reports oversized frames and bad framing here, then closes (1009/1002): nothing to add.
  ws.on('error', () => undefined);

  return {
    attach(term: TerminalSession): void {
      if (closed) return;
      attachment = term.attach(client);
      for (const frame of early.splice(0)) handle(frame.data, frame.isBinary);
    },
    fail(message: string): void {
      send({ type: 'error', message });
      ws.close(1011, 'terminal unavailable');
    },
  };
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
