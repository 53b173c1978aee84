import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  SESSION_HEADER,
  sessionAffinity,
} from '../../../sandbox-server/src/http/session-affinity.ts';

function app() {
  const a = new Hono();
  a.use('*', sessionAffinity());
  a.post('/api/sessions', (c) => c.json({ id: 'new-session', token: 't' }, 201));
  a.post('/api/workshops/join', (c) => c.json({ id: 'joined-session', token: 't' }, 201));
  a.get('/api/sessions/:id', (c) =>
    c.req.param('id') === 'known' ? c.json({ id: 'known' }) : c.json({ error: {} }, 404),
  );
  a.post('/api/sessions/:id/terminals', (c) => c.json({ ticket: 'x' }, 201));
  a.get('/api/workshops/w1', (c) => c.json({ id: 'w1' }));
  return a;
}

describe('sessionAffinity', () => {
  it('names the session a created one or a served one is', async () => {
    const a = app();
    const created = await a.request('/api/sessions', { method: 'POST' });
    expect(created.headers.get(SESSION_HEADER)).toBe('new-session');
    expect(await created.json()).toEqual({ id: 'new-session', token: 't' });
    const joined = await a.request('/api/workshops/join', { method: 'POST' });
    expect(joined.headers.get(SESSION_HEADER)).toBe('joined-session');
    const served = await a.request('/api/sessions/known');
    expect(served.headers.get(SESSION_HEADER)).toBe('known');
    const ticket = await a.request('/api/sessions/known/terminals', { method: 'POST' });
    expect(ticket.headers.get(SESSION_HEADER)).toBe('known');
  });

  it('says nothing for a session this server does not hold, nor for other routes', async () => {
    const a = app();
    expect((await a.request('/api/sessions/unknown')).headers.get(SESSION_HEADER)).toBeNull();
    expect((await a.request('/api/workshops/w1')).headers.get(SESSION_HEADER)).toBeNull();
  });
});
