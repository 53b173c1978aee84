import { describe, expect, it } from 'vitest';
import { parseSubordinate } from '../../../../sandbox-server/src/sandbox/dind/remap.ts';

describe('remapped root', () => {
  it('reads the start of the dockremap range', () => {
    expect(parseSubordinate('alice:100000:65536\ndockremap:165536:65536\n', 'dockremap')).toBe(
      165536,
    );
  });
  it('is undefined when the engine was never remapped', () => {
    expect(parseSubordinate('alice:100000:65536\n', 'dockremap')).toBeUndefined();
  });
});
