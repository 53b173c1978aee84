import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../sandbox-server/src/cli/commands/workshop.ts';

describe('handson workshop create --duration', () => {
  it('reads minutes and hours the way an instructor writes them', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('90m')).toBe(90);
    expect(parseDuration('2h')).toBe(120);
    expect(parseDuration('1h30m')).toBe(90);
  });

  it('refuses anything else with an example of what works', () => {
    expect(() => parseDuration('soon')).toThrow(/like 90, 90m, 2h or 1h30m/);
    expect(() => parseDuration('0')).toThrow(/expected minutes or hours/);
  });
});
