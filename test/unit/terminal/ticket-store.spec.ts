import { describe, expect, it } from 'vitest';
import { TicketStore } from '../../../sandbox-server/src/terminal/ticket-store.ts';

const grant = { sessionId: 's1', terminal: 'main', mode: 'write' as const };

describe('TicketStore', () => {
  it('redeems a ticket once', () => {
    const store = new TicketStore();
    const ticket = store.issue(grant);
    expect(store.redeem(ticket, 's1')).toMatchObject(grant);
    expect(store.redeem(ticket, 's1')).toBeUndefined();
  });

  it('refuses an expired ticket', () => {
    let now = 0;
    const store = new TicketStore(30_000, () => now);
    const ticket = store.issue(grant);
    now = 30_000;
    expect(store.redeem(ticket, 's1')).toBeUndefined();
  });

  it('refuses a ticket presented for another session, and burns it', () => {
    const store = new TicketStore();
    const ticket = store.issue(grant);
    expect(store.redeem(ticket, 's2')).toBeUndefined();
    expect(store.redeem(ticket, 's1')).toBeUndefined();
  });

  it('issues unguessable tickets and forgets a session that ended', () => {
    const store = new TicketStore();
    const a = store.issue(grant);
    const b = store.issue(grant);
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(32);
    store.revokeSession('s1');
    expect(store.redeem(a, 's1')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('bounds outstanding tickets and sweeps expired ones', () => {
    let now = 0;
    const store = new TicketStore(1000, () => now, 2);
    store.issue(grant);
    store.issue(grant);
    expect(() => store.issue(grant)).toThrow(/too many/);
    now = 1000;
    expect(() => store.issue(grant)).not.toThrow();
  });
});
