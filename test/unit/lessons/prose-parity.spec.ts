import { describe, expect, it } from 'vitest';
import { parityProblems, replayKey } from '../../../sandbox-server/src/lessons/prose-parity.ts';
import { proseRuns } from '../../../sandbox-server/src/lessons/run-commands.ts';

const runs = (...lines: string[]) =>
  proseRuns(['<Step id="a">', ...lines.flatMap((l) => [l, '']), '</Step>'].join('\n')).steps;

describe('ja/en parity of the prose', () => {
  it('accepts languages whose steps have the same Runs, whatever the prose around them', () => {
    const ja = runs('コンテナを一覧します。', '<Run>docker ps</Run>');
    const en = runs('List the containers.', '<Run>docker ps</Run>');
    expect(parityProblems(['a'], { ja, en })).toEqual([]);
    expect(replayKey(ja)).toBe(replayKey(en));
  });

  it('names the step and the command one language misses', () => {
    const ja = runs('<Run>docker ps</Run>', '<Run>docker ps -a</Run>');
    const en = runs('<Run>docker ps</Run>');
    expect(parityProblems(['a'], { ja, en })).toEqual([
      'step "a": ja has 2 <Run>(s), en has 1; en misses `docker ps -a` (ja.mdx line 4)',
    ]);
  });

  it('names a Run whose command or attributes differ', () => {
    const ja = runs('<Run>docker ps -a</Run>', '<Run keys="C-p C-q" />');
    const en = runs('<Run>docker ps -l</Run>', '<Run keys="C-c" />');
    const problems = parityProblems(['a'], { ja, en });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^step "a": <Run> 1 differs: ja.mdx line 2 has type "docker ps -a"; en.mdx line 2 has type "docker ps -l"/,
    );
    expect(problems[1]).toMatch(/<Run> 2 differs: .*keys C-p C-q.*keys C-c/);
  });

  it('allows the text of Runs both languages mark localized, and replays them apart', () => {
    const ja = runs('<Run localized>echo こんにちは</Run>');
    const en = runs('<Run localized>echo hello</Run>');
    expect(parityProblems(['a'], { ja, en })).toEqual([]);
    expect(replayKey(ja)).not.toBe(replayKey(en));
  });

  it('does not let one language mark alone excuse a difference', () => {
    const ja = runs('<Run localized>echo こんにちは</Run>');
    const en = runs('<Run>echo hello</Run>');
    expect(parityProblems(['a'], { ja, en })).toHaveLength(1);
  });

  it('has nothing to compare for a draft with one language', () => {
    expect(parityProblems(['a'], { en: runs('<Run>docker ps</Run>') })).toEqual([]);
  });
});
