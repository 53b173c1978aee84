import { describe, expect, it } from 'vitest';
import { doneSteps, fetchServerPasses } from '../../../../site/src/client/done-steps.ts';

const answer = (status: number, body: unknown) => async () =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });

describe('done steps (course index and lesson page)', () => {
  it("merges this browser's passes with the server's, in lesson order, once each", () => {
    expect(doneSteps(['a', 'b', 'c'], ['c', 'a'], ['a', 'b'])).toEqual(['a', 'b', 'c']);
    expect(doneSteps(['a', 'b', 'c'], ['b'])).toEqual(['b']);
  });

  it('drops steps the lesson no longer has', () => {
    expect(doneSteps(['a', 'b'], ['gone'], ['b', 'old'])).toEqual(['b']);
  });

  it("reads the server's passes by lesson", async () => {
    const passes = await fetchServerPasses(
      answer(200, {
        learner: 'l1',
        passed: [
          { lesson: 'images', step: 'pull', passedAt: '2030-01-01T00:00:00Z' },
          { lesson: 'images', step: 'run', passedAt: '2030-01-01T00:00:00Z' },
          { lesson: 'volumes', step: 'create', passedAt: '2030-01-01T00:00:00Z' },
        ],
      }),
    );
    expect(passes.get('images')).toEqual(['pull', 'run']);
    expect(passes.get('volumes')).toEqual(['create']);
  });

  it("skips entries that are not a lesson and a step, and answers nothing for a server that can't say", async () => {
    const odd = await fetchServerPasses(
      answer(200, { passed: [{ lesson: 1, step: 'x' }, null, { lesson: 'images', step: 'pull' }] }),
    );
    expect([...odd]).toEqual([['images', ['pull']]]);
    expect((await fetchServerPasses(answer(404, { error: {} }))).size).toBe(0);
    expect((await fetchServerPasses(answer(200, '<html>'))).size).toBe(0);
    expect((await fetchServerPasses(answer(200, { passed: 'all' }))).size).toBe(0);
    const offline = await fetchServerPasses(async () => {
      throw new TypeError('offline');
    });
    expect(offline.size).toBe(0);
  });
});
