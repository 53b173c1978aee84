import { describe, expect, it } from 'vitest';
import {
  encodeControl,
  parseClientControl,
  parseServerControl,
  ticketRequestSchema,
} from '#contracts/terminal-protocol.ts';

describe('terminal wire protocol', () => {
  it('parses resize and ack messages from clients', () => {
    expect(parseClientControl('{"type":"resize","cols":120,"rows":40}')).toEqual({
      ok: true,
      value: { type: 'resize', cols: 120, rows: 40 },
    });
    expect(parseClientControl(encodeControl({ type: 'ack', bytes: 4096 }))).toEqual({
      ok: true,
      value: { type: 'ack', bytes: 4096 },
    });
  });

  it('rejects invalid JSON with a message saying what to send', () => {
    const r = parseClientControl('{nope');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/not JSON.*resize/);
  });

  it('rejects unknown types and out-of-range sizes naming the field', () => {
    const unknown = parseClientControl('{"type":"reboot"}');
    expect(unknown.ok).toBe(false);
    const huge = parseClientControl('{"type":"resize","cols":100000,"rows":10}');
    expect(huge.ok).toBe(false);
    if (!huge.ok) expect(huge.error).toContain('field "cols"');
    expect(parseClientControl('{"type":"ack","bytes":-5}').ok).toBe(false);
    expect(parseClientControl('{"type":"ack","bytes":1.5}').ok).toBe(false);
    expect(parseClientControl('null').ok).toBe(false);
  });

  it('parses exit and error messages from the server', () => {
    expect(parseServerControl('{"type":"exit","code":0}')).toEqual({
      ok: true,
      value: { type: 'exit', code: 0 },
    });
    expect(parseServerControl('{"type":"error","message":"x"}').ok).toBe(true);
    expect(parseServerControl('{"type":"ack","bytes":1}').ok).toBe(false);
  });

  it('validates ticket requests: mode defaults to write, ids are short slugs', () => {
    expect(ticketRequestSchema.parse({})).toEqual({ mode: 'write' });
    expect(ticketRequestSchema.safeParse({ terminal: '../etc', mode: 'read' }).success).toBe(false);
    expect(ticketRequestSchema.safeParse({ mode: 'admin' }).success).toBe(false);
  });
});
