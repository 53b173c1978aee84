import { describe, expect, it } from 'vitest';
import { workshopHarness } from '../workshops/workshop-harness.ts';

/** A concrete URL for a route pattern (`:id`, `:learner`, `:path{.+}` filled in). */
function concrete(pattern: string): string {
  return pattern.replace(/:([a-z]+)(\{[^}]*\})?/gi, (_m, name: string) =>
    name === 'path' ? 'notes.txt' : `some-${name}`,
  );
}

describe('request bodies', () => {
  it('every POST and PUT route refuses an oversized body with 413, before auth', async () => {
    const { app } = await workshopHarness();
    const writes = [
      ...new Set(
        app.routes
          .filter((r) => r.method === 'POST' || r.method === 'PUT')
          .map((r) => `${r.method} ${r.path}`),
      ),
    ];
    expect(writes.length).toBeGreaterThan(10);
    const answers: string[] = [];
    for (const route of writes) {
      const [method, pattern] = route.split(' ') as [string, string];
      const body = 'x'.repeat(2 * 1024 * 1024);
      const res = await app.request(concrete(pattern), {
        method,
        body,
        headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      });
      answers.push(`${route} → ${res.status}`);
    }
    expect(answers).toEqual(writes.map((route) => `${route} → 413`));
  });
});
