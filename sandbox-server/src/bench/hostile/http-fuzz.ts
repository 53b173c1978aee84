import { type HttpAttack, partBytes } from './http-attacks.ts';
import { type LiveSession, ServerError, sessionAnswers } from './live-terminal.ts';
import { rawHttp } from './raw-http.ts';

/** How long the server may take to answer and close a connection the client half-closed. */
const ANSWER_MS = 10_000;

/**
 * The ports proxy's documented answers about the learner's own service (API.md): nothing
 * listens on that port in the sandbox (502), or it did not answer in time (504). They say the
 * learner's server is down, not this one, and are the one 5xx a client can cause.
 */
export function isGatewayAnswer(response: string): boolean {
  return /^HTTP\/1\.1 50[24] [\s\S]*"code":"(nothing_listening|no_answer)"/.test(response);
}

export interface HttpFuzzTally {
  connections: number;
  requests: number;
  /** Statuses the server answered with, by code ("none" when it closed without a word). */
  statuses: Record<string, number>;
  /** Stalled (slowloris) connections the server closed on its own. */
  stalledClosed: number;
}

export function newHttpTally(): HttpFuzzTally {
  return { connections: 0, requests: 0, statuses: {}, stalledClosed: 0 };
}

/** Where a stalled (slow-loris) connection's check goes: it finishes while others are tried. */
export interface Stalls {
  /** How long the server may hold a stalled connection: its header and request timeouts. */
  ms: number;
  pending: Promise<void>[];
}

/**
 * One hostile connection, then the property: no 5xx on it, the server answered or closed it,
 * and a normal request afterwards still succeeds. A stalled connection is left to the server
 * to cut off (within `stalls.ms`) and checked in `stalls.pending`, so stalls pile up while the
 * fuzz goes on, as a slow-loris attack's do. Throws (ServerError for a 5xx) when any fails.
 *
 * @example
 * const stalls = { ms: 45_000, pending: [] };
 * await fc.assert(fc.asyncProperty(httpAttack, (a) => tryHttpAttack(session, a, tally, stalls)));
 * await Promise.all(stalls.pending);
 */
export async function tryHttpAttack(
  s: LiveSession,
  attack: HttpAttack,
  tally: HttpFuzzTally,
  stalls: Stalls,
): Promise<void> {
  tally.connections++;
  tally.requests += attack.parts.length;
  const { hostname, port, host } = new URL(s.url);
  const bytes = Buffer.concat(
    attack.parts.map((p) => partBytes(p, { host, sessionId: s.id, token: s.token })),
  );
  const hold = attack.ending === 'hold';
  // A stall is the last request cut short: a slow-loris client never finishes it.
  const sent = hold ? bytes.subarray(0, Math.max(1, bytes.length - 3)) : bytes;
  const timeoutMs = hold ? stalls.ms : ANSWER_MS;
  const answered = rawHttp(hostname, Number(port), sent, {
    ending: attack.ending,
    ...(attack.chunk === undefined ? {} : { chunk: attack.chunk }),
    timeoutMs,
  }).then((answer) => {
    for (const status of answer.statuses.length ? answer.statuses : ['none']) {
      tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
    }
    const failed = answer.responses.find(
      (response, i) => answer.statuses[i]! >= 500 && !isGatewayAnswer(response),
    );
    if (failed) {
      throw new ServerError(`a hostile request was answered ${failed.split('\r\n')[0]}`);
    }
    if (attack.ending !== 'reset' && !answer.closed) {
      throw new Error(
        `the server neither answered nor closed a ${attack.ending} connection within ${timeoutMs} ms`,
      );
    }
    if (hold) tally.stalledClosed++;
  });
  if (hold) {
    // Not left unhandled if the fuzz stops first; the caller awaits it.
    answered.catch(() => undefined);
    stalls.pending.push(answered);
  } else {
    await answered;
  }
  await sessionAnswers(s);
}
