import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { encodeControl } from '#contracts/terminal-protocol.ts';
import { startTerminalOnlyServer } from '../../dev/terminal-only-server.ts';
import type { Sandbox } from '../../sandbox/driver.ts';
import type { SessionHandle } from '../../sessions/session-handle.ts';
import type { TerminalPipe } from './probes.ts';

/**
 * The terminal bridge as the server runs it (ticket route, WebSocket upgrade, TerminalSession,
 * the sandbox's own TTY), for one session over an existing sandbox, on a loopback port.
 */
export async function startBenchServer(sandbox: Sandbox) {
  const sessionId = sandbox.sessionId;
  const token = randomUUID();
  const handle: SessionHandle = {
    id: sessionId,
    lang: 'en',
    lesson: undefined,
    step: undefined,
    sandbox: async () => sandbox,
    touch: () => undefined,
  };
  const terminals = await startTerminalOnlyServer({
    authorize: () => handle,
    find: (id) => (id === sessionId ? handle : undefined),
    onEnd: () => undefined,
  });
  const base = terminals.base;

  /** A WebSocket client like the browser's; `ackBytesPer100ms` makes it a slow reader. */
  async function connect(terminal: string, opts: { ackBytesPer100ms?: number } = {}) {
    const res = await fetch(`http://${base}/api/sessions/${sessionId}/terminals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ terminal, mode: 'write' }),
    });
    const { ticket } = (await res.json()) as { ticket: string };
    const ws = new WebSocket(`ws://${base}/api/sessions/${sessionId}/terminal?ticket=${ticket}`, {
      perMessageDeflate: false,
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.send(encodeControl({ type: 'resize', cols: 200, rows: 50 }));
    return wsPipe(ws, opts.ackBytesPer100ms);
  }

  return {
    connect,
    close: () => terminals.close(),
  };
}

function wsPipe(ws: WebSocket, ackBytesPer100ms?: number): TerminalPipe {
  const listeners = new Set<(chunk: Buffer) => void>();
  let unacked = 0;
  let ackScheduled = false;
  const ack = (bytes: number) => {
    if (bytes > 0 && ws.readyState === WebSocket.OPEN) {
      ws.send(encodeControl({ type: 'ack', bytes }));
    }
  };
  const slow =
    ackBytesPer100ms === undefined
      ? undefined
      : setInterval(() => {
          const n = Math.min(unacked, ackBytesPer100ms);
          unacked -= n;
          ack(n);
        }, 100);
  ws.on('message', (data, isBinary) => {
    if (!isBinary) return;
    const chunk = data as Buffer;
    unacked += chunk.length;
    for (const l of listeners) l(chunk);
    // A fast client acks what it consumed once per event-loop turn, like xterm's write callback.
    if (!slow && !ackScheduled) {
      ackScheduled = true;
      setImmediate(() => {
        ackScheduled = false;
        ack(unacked);
        unacked = 0;
      });
    }
  });
  return {
    send: (data) => ws.send(Buffer.from(data), { binary: true }),
    onData: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      if (slow) clearInterval(slow);
      ws.close();
    },
  };
}
