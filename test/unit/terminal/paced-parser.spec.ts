import { describe, expect, it } from 'vitest';
import { PacedParser } from '../../../sandbox-server/src/terminal/paced-parser.ts';

describe('PacedParser', () => {
  it('hands the parser one small piece per event-loop turn, in order, and counts every byte', async () => {
    const pieces: number[] = [];
    let parsing = false;
    const paced = new PacedParser((data, parsed) => {
      expect(parsing).toBe(false); // never two pieces at once
      parsing = true;
      pieces.push(data.length);
      setImmediate(() => {
        parsing = false;
        parsed();
      });
    }, 1000);
    const counted: number[] = [];
    paced.onPiece((bytes) => counted.push(bytes));
    paced.write(new Uint8Array(2500));
    paced.write(new Uint8Array(10), 400); // a cut write counts for what it stands for
    await new Promise<void>((resolve) => paced.whenParsed(resolve));
    expect(pieces).toEqual([1000, 1000, 500, 10]);
    expect(counted.reduce((a, b) => a + b, 0)).toBe(2900);
    expect(paced.idle).toBe(true);
  });

  it('runs a whenParsed callback only after everything written before it', async () => {
    const order: string[] = [];
    const paced = new PacedParser((data, parsed) => {
      order.push(`piece ${data.length}`);
      setImmediate(parsed);
    }, 4);
    paced.write(new Uint8Array(6));
    paced.whenParsed(() => order.push('marker'));
    paced.write(new Uint8Array(2));
    await new Promise<void>((resolve) => paced.whenParsed(resolve));
    expect(order).toEqual(['piece 4', 'piece 2', 'marker', 'piece 2']);
  });
});
