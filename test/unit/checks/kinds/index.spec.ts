import { describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '#contracts/lesson.ts';
import { EVALUATORS } from '../../../../sandbox-server/src/checks/kinds/index.ts';

describe('the check kind table', () => {
  it('has one evaluator for every kind the lesson contract parses, and no other', () => {
    const kinds = new Set(Object.values(CHECK_KINDS).map((spec) => spec.kind));
    expect(Object.keys(EVALUATORS).sort()).toEqual([...kinds].sort());
  });
});
