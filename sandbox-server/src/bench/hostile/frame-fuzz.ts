import { CLOSE_CODES } from '#contracts/terminal-protocol.ts';
import { type FrameAttack, framesIn, stepBytes } from './frame-attacks.ts';
import { echoRoundTrip, type LiveSession, requestTicket, sessionAnswers } from './live-terminal.ts';
import { RawTerminalSocket } from './raw-terminal-socket.ts';
import { closePayload, encodeFrame, OPCODES } from './ws-frame.ts';

/**
 * Close codes a client may get from the terminal socket: ws's own for broken framing (1002),
 * bad UTF-8 (1007), a frame too big (1009), the server's terminal failing (1011), going away
 * (1001), and the protocol's 4000–4004 (sandbox-server/API.md). A code the client itself sent
 * is echoed back, which the fuzz allows too.
 */
export const DOCUMENTED_CLOSE_CODES: ReadonlySet<number> = new Set([
  1000,
  1001,
  1002,
  1005,
  1007,
  1009,
  1011,
  ...Object.values(CLOSE_CODES),
]);

/** How long the server may take to answer or close a connection it was sent frames on. */
const ANSWER_MS = 10_000;
/** How long a later `echo` may take (the shell may have to start again). */
const ECHO_MS = 30_000;

export interface FrameFuzzTally {
  connections: number;
  frames: number;
  /** The server's close codes, by code ("none" when it kept the socket open). */
  closeCodes: Record<string, number>;
}

export function newFrameTally(): FrameFuzzTally {
  return { connections: 0, frames: 0, closeCodes: {} };
}

/**
 * One hostile connection to the session's live terminal, then the property: the server dealt
 * with every frame (answered a ping or closed), closed only with a documented code, lets go
 * of the connection however the client leaves, and afterwards the terminal still echoes and
 * the API still answers without a 5xx. Throws (ServerError for a 5xx) when any of it fails.
 *
 * @example
 * await fc.assert(fc.asyncProperty(frameAttack, (a) => tryFrameAttack(session, a, tally)));
 */
export async function tryFrameAttack(
  s: LiveSession,
  attack: FrameAttack,
  tally: FrameFuzzTally,
): Promise<void> {
  const n = ++tally.connections;
  const raw = await RawTerminalSocket.open(s.url, s.id, await requestTicket(s, attack.mode));
  try {
    const bytes = Buffer.concat(attack.steps.map(stepBytes));
    const chunk = Math.max(attack.chunk ?? bytes.length, Math.ceil(bytes.length / 200), 1);
    for (let at = 0; at < bytes.length; at += chunk) raw.write(bytes.subarray(at, at + chunk));
    tally.frames += attack.steps.reduce((sum, step) => sum + framesIn(step), 1);
    await raw.probe(`probe-${n}`, ANSWER_MS);

    const sentCodes = attack.steps.flatMap((step) => (step.kind === 'close' ? [step.code] : []));
    const code = raw.closeCode;
    const key = code === undefined ? 'none' : String(code);
    tally.closeCodes[key] = (tally.closeCodes[key] ?? 0) + 1;
    if (code !== undefined && !DOCUMENTED_CLOSE_CODES.has(code) && !sentCodes.includes(code)) {
      throw new Error(`the server closed the terminal socket with undocumented code ${code}`);
    }

    await leave(raw, attack.ending);
    await echoRoundTrip(s, String(n), ECHO_MS);
    await sessionAnswers(s);
  } finally {
    raw.destroy();
  }
}

/** Leave the way the attack says; a clean close or a half-close must end the connection. */
async function leave(raw: RawTerminalSocket, ending: FrameAttack['ending']): Promise<void> {
  if (ending === 'linger') return;
  if (ending === 'reset') {
    raw.reset();
    return;
  }
  if (ending === 'close') {
    raw.write(encodeFrame({ opcode: OPCODES.close, payload: closePayload(1000) }));
  } else {
    raw.end();
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    raw.ended,
    new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the server kept the connection ${ANSWER_MS} ms after a ${ending}`)),
        ANSWER_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}
