import { describe, expect, it } from 'vitest';
import { TERMINAL_LIMITS } from '#contracts/terminal-protocol.ts';
import { SocketsPerSession } from '../../../sandbox-server/src/terminal/sockets-per-session.ts';
import { TerminalRegistry } from '../../../sandbox-server/src/terminal/terminal-registry.ts';
import { TicketStore, TooManyTickets } from '../../../sandbox-server/src/terminal/ticket-store.ts';
import { appHarness } from '../server/app-harness.ts';
import { FakeSandbox } from '../sessions/fake-driver.ts';

const grant = (sessionId: string) => ({ sessionId, terminal: 'main', mode: 'write' as const });

describe('per-session terminal limits', () => {
  it('refuses a session its 17th unused ticket, saying when one expires, and not another session', () => {
    let now = 0;
    const store = new TicketStore(30_000, () => now);
    for (let i = 0; i < TERMINAL_LIMITS.maxTicketsPerSession; i++) store.issue(grant('greedy'));
    now = 10_000;
    const refusal = (() => {
      try {
        store.issue(grant('greedy'));
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(TooManyTickets);
    expect((refusal as TooManyTickets).retryAfterSeconds).toBe(20);
    expect(store.issue(grant('classmate'))).toMatch(/^[\w-]{32}$/);
  });

  it('gives a session its tickets back as they are used', () => {
    const store = new TicketStore();
    const tickets = Array.from({ length: TERMINAL_LIMITS.maxTicketsPerSession }, () =>
      store.issue(grant('s1')),
    );
    expect(() => store.issue(grant('s1'))).toThrow(TooManyTickets);
    store.redeem(tickets[0]!, 's1');
    expect(store.issue(grant('s1'))).toBeTruthy();
  });

  it('starts at most 8 shells per session; an exited one makes room', async () => {
    const sandbox = new FakeSandbox('sbx', 's1');
    const registry = new TerminalRegistry(async () => sandbox);
    const max = TERMINAL_LIMITS.maxTerminalsPerSession;
    await Promise.all(Array.from({ length: max }, (_, i) => registry.open(`t${i}`)));
    expect(registry.admits('t0')).toBe(true);
    expect(registry.admits('one-more')).toBe(false);
    await expect(registry.open('one-more')).rejects.toThrow(/already runs 8 terminals/);
    expect(sandbox.ttys).toHaveLength(max);
    sandbox.ttys[0]!.end(0);
    await expect.poll(() => registry.admits('one-more')).toBe(true);
    await registry.open('one-more');
    expect(sandbox.ttys).toHaveLength(max + 1);
    await registry.closeAll();
  });

  it('counts open sockets per session and frees a slot once', () => {
    const sockets = new SocketsPerSession(2);
    const a = sockets.acquire('s1');
    const b = sockets.acquire('s1');
    expect(sockets.acquire('s1')).toBeUndefined();
    expect(sockets.acquire('s2')).toBeDefined();
    a?.();
    a?.();
    expect(sockets.count('s1')).toBe(1);
    expect(sockets.acquire('s1')).toBeDefined();
    b?.();
  });
});

describe('POST /api/sessions/:id/terminals under abuse', () => {
  it('answers 429 with Retry-After once a session holds 16 unused tickets; a classmate still gets one', async () => {
    const { call, session } = appHarness();
    const greedy = await session();
    const classmate = await session();
    const ask = (s: { id: string; token: string }) =>
      call(`/api/sessions/${s.id}/terminals`, {
        method: 'POST',
        token: s.token,
        body: JSON.stringify({ mode: 'read' }),
      });
    for (let i = 0; i < TERMINAL_LIMITS.maxTicketsPerSession; i++) {
      expect((await ask(greedy)).status).toBe(200);
    }
    const refused = await ask(greedy);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: { code: 'too_many_tickets' } });
    expect((await ask(classmate)).status).toBe(200);
  });

  it('answers 429 too_many_terminals for a ninth terminal id, and starts no ninth shell', async () => {
    const { call, session } = appHarness();
    const s = await session();
    const ask = (terminal: string) =>
      call(`/api/sessions/${s.id}/terminals`, {
        method: 'POST',
        token: s.token,
        body: JSON.stringify({ terminal, mode: 'write' }),
      });
    for (let i = 0; i < TERMINAL_LIMITS.maxTerminalsPerSession; i++) {
      expect((await ask(`t${i}`)).status).toBe(200);
    }
    await expect.poll(() => s.sandbox.ttys.length).toBe(TERMINAL_LIMITS.maxTerminalsPerSession);
    const refused = await ask('t-extra');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: 'too_many_terminals' } });
    expect(s.sandbox.ttys).toHaveLength(TERMINAL_LIMITS.maxTerminalsPerSession);
  });
});
