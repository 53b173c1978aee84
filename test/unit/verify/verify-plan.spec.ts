import { describe, expect, it } from 'vitest';
import { lessonSchema } from '#contracts/lesson.ts';
import type { LoadedLesson } from '../../../sandbox-server/src/lessons/load-lesson.ts';
import {
  planLabel,
  planLesson,
  plannedSteps,
} from '../../../sandbox-server/src/verify/verify-plan.ts';

const step = (id: string) => ({
  id,
  title: { en: id },
  solution: 'docker ps',
  hints: { en: ['docker ps'] },
  checks: [{ history: 'docker ps' }],
});

function lesson(prose: LoadedLesson['prose']): LoadedLesson {
  const spec = lessonSchema.parse({ order: 1, title: { en: 'T' }, steps: [step('a'), step('b')] });
  return { id: 'demo', folder: '01-demo', dir: '/drafts/01-demo', spec, prose };
}

const mdx = (a: string, b = '<Run>docker ps</Run>') =>
  `<Step id="a">\n${a}\n</Step>\n\n<Step id="b">\n${b}\n</Step>\n`;

describe('what verify replays for a lesson', () => {
  it('replays the solution once and languages with the same Runs once, together', () => {
    const plans = planLesson(lesson({ ja: mdx('<Run>ls</Run>'), en: mdx('<Run>ls</Run>') }), {
      paths: ['solution', 'prose'],
    });
    expect(plans.map((p) => [p.path, p.langs, p.problems])).toEqual([
      ['solution', [], []],
      ['prose', ['ja', 'en'], []],
    ]);
    expect(plans.map(planLabel)).toEqual(['demo (solution)', 'demo (prose ja, en)']);
  });

  it('replays languages whose Runs differ apart, each carrying where they differ', () => {
    const plans = planLesson(lesson({ ja: mdx('<Run>ls</Run>'), en: mdx('<Run>ls -a</Run>') }), {
      paths: ['prose'],
    });
    expect(plans.map((p) => p.langs)).toEqual([['ja'], ['en']]);
    for (const plan of plans)
      expect(plan.problems).toEqual([
        expect.stringMatching(/^languages differ: step "a": <Run> 1/),
      ]);
  });

  it('verifies only the languages asked for, and names one the lesson does not have', () => {
    const plans = planLesson(lesson({ en: mdx('<Run>ls</Run>') }), {
      paths: ['prose'],
      langs: ['ja', 'en'],
    });
    expect(plans.map((p) => [p.langs, p.problems])).toEqual([
      [['ja'], ['there is no ja.mdx in /drafts/01-demo']],
      [['en'], []],
    ]);
  });

  it('stops after the step --step names', () => {
    const [plan] = planLesson(lesson({ en: mdx('<Run>ls</Run>') }), {
      paths: ['solution'],
      untilStep: 'a',
    });
    expect(plannedSteps(plan!).map((s) => s.id)).toEqual(['a']);
  });
});
