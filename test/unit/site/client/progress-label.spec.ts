import { describe, expect, it } from 'vitest';
import { progressLabel } from '../../../../site/src/client/progress-label.ts';

describe('the progress of a lesson or a part, in words', () => {
  it('says not started, how many of how many, or completed', () => {
    expect(progressLabel('en', 0, 12)).toBe('Not started');
    expect(progressLabel('en', 5, 12)).toBe('5 of 12 steps done');
    expect(progressLabel('en', 12, 12)).toBe('Completed');
  });

  it('speaks every language of the course', () => {
    expect(progressLabel('ja', 5, 12)).toBe('12 ステップ中 5 完了');
    expect(progressLabel('zh', 5, 12)).toBe('已完成 5/12 个步骤');
    expect(progressLabel('zh', 12, 12)).toBe('已完成');
  });
});
