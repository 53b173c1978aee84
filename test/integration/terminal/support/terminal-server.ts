import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type Docker from 'dockerode';
import type { TerminalOnlyServer } from '../../../../sandbox-server/src/dev/terminal-only-server.ts';
import { startTerminalOnlyServer } from '../../../../sandbox-server/src/dev/terminal-only-server.ts';
import { DomainError } from '../../../../sandbox-server/src/http/domain-error.ts';
import type { Sandbox } from '../../../../sandbox-server/src/sandbox/driver.ts';
import type {
  SessionDirectory,
  SessionHandle,
} from '../../../../sandbox-server/src/sessions/session-handle.ts';
import { startContainerSandbox } from './container-sandbox.ts';

/**
 * A real HTTP + WebSocket server with only the terminal routes, over sessions whose sandboxes
 * are plain containers on the project's engine with the dind driver's TTY (container-sandbox.ts).
 */
export interface TerminalTestServer {
  base: string;
  server: Server;
  ctx: TerminalOnlyServer['ctx'];
  createSession(): Promise<{ id: string; token: string }>;
  endSession(id: string): Promise<void>;
  stop(opts?: { keepSandboxes?: boolean }): Promise<void>;
  sandboxes: Map<string, Sandbox & { destroy(): Promise<void> }>;
}

export async function startTerminalServer(
  docker: Docker,
  reuse?: Map<string, { token: string; sandbox: Sandbox & { destroy(): Promise<void> } }>,
  socketOptions: { pingIntervalMs?: number } = {},
): Promise<TerminalTestServer> {
  const sandboxes = new Map<string, Sandbox & { destroy(): Promise<void> }>();
  const tokens = new Map<string, string>();
  const endListeners = new Set<(id: string) => void>();
  for (const [id, s] of reuse ?? []) {
    sandboxes.set(id, s.sandbox);
    tokens.set(id, s.token);
  }
  const handle = (id: string): SessionHandle => ({
    id,
    lang: 'en',
    lesson: undefined,
    step: undefined,
    sandbox: async () => sandboxes.get(id)!,
    touch: () => undefined,
  });
  const sessions: SessionDirectory = {
    authorize(id, token) {
      const expected = tokens.get(id);
      if (!expected) throw new DomainError('not_found', 'not_found', `no session ${id}`);
      if (token !== expected) throw new DomainError('unauthorized', 'unauthorized', 'bad token');
      return handle(id);
    },
    find: (id) => (tokens.has(id) ? handle(id) : undefined),
    onEnd: (listener) => void endListeners.add(listener),
  };
  const terminals = await startTerminalOnlyServer(sessions, socketOptions);
  return {
    base: terminals.base,
    server: terminals.server,
    ctx: terminals.ctx,
    sandboxes,
    async createSession() {
      const id = randomUUID();
      const token = randomUUID();
      sandboxes.set(id, await startContainerSandbox(docker, id));
      tokens.set(id, token);
      return { id, token };
    },
    async endSession(id) {
      for (const listener of endListeners) listener(id);
      tokens.delete(id);
    },
    async stop(opts = {}) {
      await terminals.close();
      if (!opts.keepSandboxes) {
        await Promise.allSettled([...sandboxes.values()].map((s) => s.destroy()));
      }
    },
  };
}

/** `POST /api/sessions/:id/terminals`; returns status and JSON body. */
export async function requestTicket(
  base: string,
  session: { id: string; token: string },
  body: unknown = { mode: 'write' },
): Promise<{
  status: number;
  json: { ticket: string; terminal: string } & Record<string, unknown>;
}> {
  const res = await fetch(`http://${base}/api/sessions/${session.id}/terminals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as never };
}
