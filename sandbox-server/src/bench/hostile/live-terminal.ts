import WebSocket from 'ws';
import { CLOSE_CODES, encodeControl } from '#contracts/terminal-protocol.ts';

/** A session on a running server, as its learner's browser holds it. */
export interface LiveSession {
  /** The server's base URL, e.g. http://127.0.0.1:4321. */
  url: string;
  id: string;
  token: string;
}

/**
 * A new session on the server at `url`, once its sandbox is ready.
 *
 * @example
 * const session = await openLiveSession('http://127.0.0.1:4321');
 */
export async function openLiveSession(url: string, timeoutMs = 120_000): Promise<LiveSession> {
  const created = await fetch(`${url}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lang: 'en' }),
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const s = (await created.json()) as { id: string; token: string };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The API's long poll answers as soon as the sandbox is no longer starting.
    const res = await fetch(`${url}/api/sessions/${s.id}?wait=10`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    const { state } = (await res.json()) as { state: string };
    if (state === 'ready') return { url, ...s };
    if (state !== 'starting' || Date.now() > deadline) {
      throw new Error(`the session's sandbox did not start (${state})`);
    }
  }
}

/** An HTTP answer the fuzz must count: the server erred (5xx) where it had to answer. */
export class ServerError extends Error {}

/**
 * A single-use terminal ticket for the session's main shell; a 5xx throws ServerError.
 *
 * @example
 * const ticket = await requestTicket(session, 'write');
 */
export async function requestTicket(s: LiveSession, mode: 'write' | 'read'): Promise<string> {
  const res = await fetch(`${s.url}/api/sessions/${s.id}/terminals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ mode }),
  });
  const body = await res.text();
  if (res.status >= 500) throw new ServerError(`ticket: ${res.status} ${body.slice(0, 200)}`);
  if (res.status !== 200) throw new Error(`ticket: ${res.status} ${body.slice(0, 200)}`);
  return (JSON.parse(body) as { ticket: string }).ticket;
}

/**
 * Open the main terminal as its writer (the way the page does, acking what arrives), type
 * `echo` and wait for its answer: proof the terminal still works. A shell that exits meanwhile
 * (a fuzz frame typed `exit`) is asked for again: a new ticket starts a new shell.
 *
 * @example
 * await echoRoundTrip(session, 'after-7', 20_000);
 */
export async function echoRoundTrip(s: LiveSession, marker: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const code = await typeEcho(s, marker, deadline - Date.now());
    if (code === 'echoed') return;
    if (code !== CLOSE_CODES.exited || attempt >= 3) {
      throw new Error(`the terminal closed (${code}) before echo ${marker} came back`);
    }
  }
}

function typeEcho(s: LiveSession, marker: string, timeoutMs: number): Promise<'echoed' | number> {
  return requestTicket(s, 'write').then(
    (ticket) =>
      new Promise((resolve, reject) => {
        const { host, origin } = new URL(s.url);
        const ws = new WebSocket(`ws://${host}/api/sessions/${s.id}/terminal?ticket=${ticket}`, {
          headers: { origin },
        });
        const answer = `fuzz-ok-42-${marker}`;
        let output = '';
        const timer = setTimeout(() => {
          clearInterval(retype);
          ws.terminate();
          reject(
            new Error(
              `echo ${marker} did not come back within ${timeoutMs} ms; the terminal showed ${JSON.stringify(output.slice(-300))}`,
            ),
          );
        }, timeoutMs);
        // C-c ends whatever line the fuzz left (an open quote, a half UTF-8 sequence), but the
        // TTY drops what is typed with it: the echo follows once a new ^C shows, and the pair
        // is tried again until the echo is answered.
        let retype: NodeJS.Timeout | undefined;
        let interruptedAt: number | undefined;
        const interrupt = () => {
          interruptedAt = output.length;
          ws.send(Buffer.from('\x03'));
        };
        ws.on('open', () => {
          // A wide screen, so the answer is never wrapped.
          ws.send(encodeControl({ type: 'resize', cols: 200, rows: 50 }));
          interrupt();
          retype = setInterval(interrupt, 1500);
        });
        ws.on('message', (data, isBinary) => {
          if (!isBinary) return;
          const chunk = data as Buffer;
          ws.send(encodeControl({ type: 'ack', bytes: chunk.length }));
          output = (output + chunk.toString('latin1')).slice(-64 * 1024);
          if (interruptedAt !== undefined && output.indexOf('^C', interruptedAt) >= 0) {
            interruptedAt = undefined;
            ws.send(Buffer.from(`echo fuzz-ok-$((6*7))-${marker}\r`));
          }
          if (!output.includes(answer)) return;
          clearTimeout(timer);
          clearInterval(retype);
          ws.close();
          resolve('echoed');
        });
        ws.on('close', (code) => {
          clearTimeout(timer);
          clearInterval(retype);
          resolve(code);
        });
        ws.on('unexpected-response', (_req, res) => {
          clearTimeout(timer);
          clearInterval(retype);
          const Failure = (res.statusCode ?? 0) >= 500 ? ServerError : Error;
          reject(new Failure(`terminal upgrade answered ${res.statusCode}`));
          ws.terminate();
        });
        ws.on('error', (error) => {
          clearTimeout(timer);
          clearInterval(retype);
          reject(error);
        });
      }),
  );
}

/**
 * Whether the server still answers the session's API without a 5xx.
 *
 * @example
 * await sessionAnswers(session); // throws ServerError on 5xx
 */
export async function sessionAnswers(s: LiveSession): Promise<void> {
  const res = await fetch(`${s.url}/api/sessions/${s.id}`, {
    headers: { authorization: `Bearer ${s.token}` },
  });
  await res.arrayBuffer();
  if (res.status >= 500) throw new ServerError(`GET session: ${res.status}`);
  if (res.status !== 200) throw new Error(`GET session: ${res.status}`);
}
