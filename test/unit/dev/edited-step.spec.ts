import { describe, expect, it } from 'vitest';
import { editedStep } from '../../../sandbox-server/src/dev/edited-step.ts';

const ids = ['first', 'second', 'third'];
const mdx = (second: string, third = 'c') =>
  `<Step id="first">\na\n</Step>\n\n<Step id="second">\n${second}\n</Step>\n\n<Step id="third">\n${third}\n</Step>\n`;
const yaml = (secondSolution: string, setup = 'docker pull busybox') =>
  `order: 1\ntitle: {en: T}\nsetup: ${setup}\nsteps:\n  - id: first\n    solution: a\n  - id: second\n    solution: ${secondSolution}\n  - id: third\n    solution: c\n`;

describe('the step a save edited', () => {
  it('is the prose section whose text changed', () => {
    expect(editedStep('en.mdx', mdx('b'), mdx('b <Run>ls</Run>'), ids)).toBe('second');
  });

  it('is the last changed one when several steps changed (verify up to it covers the others)', () => {
    expect(editedStep('ja.mdx', mdx('b', 'c'), mdx('B', 'C'), ids)).toBe('third');
  });

  it('is the step of lesson.yaml whose fields changed', () => {
    expect(editedStep('lesson.yaml', yaml('b'), yaml('docker ps'), ids)).toBe('second');
  });

  it('is none when the lesson itself changed (its setup touches every step) or a file is broken', () => {
    expect(editedStep('lesson.yaml', yaml('b'), yaml('b', 'true'), ids)).toBeUndefined();
    expect(editedStep('lesson.yaml', yaml('b'), 'steps: [', ids)).toBeUndefined();
  });

  it('is none when nothing a step says changed', () => {
    expect(editedStep('en.mdx', mdx('b'), mdx('b'), ids)).toBeUndefined();
  });
});
