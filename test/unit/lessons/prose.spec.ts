import { describe, expect, it } from 'vitest';
import { compareStepIds, proseStepIds } from '../../../sandbox-server/src/lessons/prose.ts';

describe('prose <Step> sections against the spec', () => {
  it('reads step ids in order, whatever the quoting', () => {
    expect(
      proseStepIds(
        `<Step id="a">x</Step>\n<Step title="t" id='b'>y</Step>\n<Step id={"c"}>z</Step>`,
      ),
    ).toEqual(['a', 'b', 'c']);
  });

  it('accepts prose that matches exactly', () => {
    expect(compareStepIds(['a', 'b'], ['a', 'b'])).toEqual([]);
  });

  it('names a missing section, an extra one and a duplicate', () => {
    expect(compareStepIds(['a', 'b'], ['a', 'c', 'c'])).toEqual([
      'no <Step id="…"> section for step "b"',
      '<Step> section "c", "c" is not a step of lesson.yaml (its steps: a, b)',
      '<Step> section "c" appears twice',
    ]);
  });

  it('names sections in the wrong order', () => {
    expect(compareStepIds(['a', 'b'], ['b', 'a'])).toEqual([
      '<Step> sections are out of order: expected a, b, found b, a',
    ]);
  });
});
