import { describe, expect, it } from 'vitest';
import { lessonSchema } from '#contracts/lesson.ts';
import { formatLessonIssues } from '#contracts/lesson-errors.ts';

const FILE = 'content/lessons/02-first-containers/lesson.yaml';

function lesson(checks: unknown[], extra: Record<string, unknown> = {}) {
  return {
    order: 2,
    title: { ja: '最初のコンテナ', en: 'First containers' },
    images: ['nginx'],
    steps: [
      {
        id: 'run-detached',
        title: { ja: '起動', en: 'Start' },
        solution: 'docker run -d --name web nginx',
        hints: { ja: ['`-d`'], en: ['`-d`'] },
        checks,
        ...extra,
      },
    ],
  };
}

function errorsOf(raw: unknown): string[] {
  const result = lessonSchema.safeParse(raw);
  if (result.success) return [];
  return formatLessonIssues(FILE, raw, result.error.issues);
}

describe('lesson schema', () => {
  it('normalises the flat and nested check forms into {kind, ...fields}', () => {
    const parsed = lessonSchema.parse(
      lesson([
        { container: 'web', state: 'running', image: 'nginx' },
        { inspect: { container: 'web', path: 'Config.Hostname', equals: 'box' } },
        { http: { port: 8080, status: 200, contains: 'Welcome' } },
        { containers: { ancestor: 'busybox' }, count: 2 },
        { history: 'docker ps -a', within: 1 },
        { image: 'cowsay', cmd: ['cowsay'] },
        { network: 'app', containers: ['web'] },
      ]),
    );
    expect(parsed.steps[0]!.checks).toEqual([
      { kind: 'container', name: 'web', state: 'running', image: 'nginx' },
      { kind: 'inspect', container: 'web', path: 'Config.Hostname', equals: 'box' },
      { kind: 'http', port: 8080, status: 200, contains: 'Welcome' },
      { kind: 'container', filters: { ancestor: 'busybox' }, count: 2 },
      { kind: 'history', matches: 'docker ps -a', within: 1 },
      { kind: 'image', ref: 'cowsay', cmd: ['cowsay'] },
      { kind: 'network', name: 'app', containers: ['web'] },
    ]);
  });

  it('names the file, the step and the field of a wrongly typed check field', () => {
    const errors = errorsOf(
      lesson([{ container: 'web' }, { inspect: { container: 'web', path: 42 } }]),
    );
    expect(errors).toEqual([
      `${FILE}: step "run-detached", checks[1].inspect.path: expected a string, found a number`,
    ]);
  });

  it('names a field written beside the kind key where it was written', () => {
    expect(errorsOf(lesson([{ container: 'web', state: 'sleeping' }]))).toEqual([
      `${FILE}: step "run-detached", checks[0].state: expected one of created, running, paused, restarting, removing, exited, dead, found "sleeping"`,
    ]);
  });

  it('rejects an unknown check kind and lists the known ones', () => {
    const [error] = errorsOf(lesson([{ contianer: 'web' }]));
    expect(error).toMatch(
      /step "run-detached", checks\[0\]: unknown check kind \(found contianer\); expected one of .*container/,
    );
  });

  it('rejects a regex that does not compile', () => {
    const [error] = errorsOf(lesson([{ logs: 'web', matches: '([a-z' }]));
    expect(error).toMatch(
      /step "run-detached", checks\[0\]\.matches: not a valid regular expression/,
    );
  });

  it('rejects duplicate step ids', () => {
    const raw = lesson([{ container: 'web' }]);
    raw.steps.push({ ...raw.steps[0]! });
    expect(errorsOf(raw)).toEqual([
      `${FILE}: step "run-detached", id: duplicate step id "run-detached"; each step needs its own id`,
    ]);
  });

  it('accepts interactive solutions and rejects unknown actions', () => {
    const ok = lesson([{ container: 'box', state: 'running' }], {
      solution: [
        { type: 'docker run -it --name box debian bash' },
        { expect: 'root@' },
        { keys: 'C-p C-q' },
      ],
    });
    expect(errorsOf(ok)).toEqual([]);
    const bad = lesson([{ container: 'box' }], { solution: [{ press: 'Enter' }] });
    expect(errorsOf(bad)[0]).toMatch(/step "run-detached", solution\[0\]: /);
  });

  it('takes mistakes with a reason, wrong commands and an optional undo', () => {
    const ok = lesson([{ container: 'web' }], {
      mistakes: [
        { why: 'no -d', run: 'docker run --name web nginx', undo: 'docker rm -f web' },
        { why: 'typed inside', run: [{ type: 'docker run -it busybox' }, { keys: 'C-d' }] },
      ],
    });
    const parsed = lessonSchema.parse(ok).steps[0]!;
    expect(parsed.mistakes?.map((m) => m.why)).toEqual(['no -d', 'typed inside']);
    expect(parsed.mistakes?.[1]?.undo).toBeUndefined();
    expect(
      errorsOf(lesson([{ container: 'web' }], { mistakes: [{ run: 'docker ps' }] }))[0],
    ).toMatch(/step "run-detached", mistakes\[0\]\.why: /);
    expect(
      errorsOf(
        lesson([{ container: 'web' }], { mistakes: [{ why: 'x', run: 'ls', fix: 'y' }] }),
      )[0],
    ).toMatch(/mistakes\[0\]/);
  });

  it('accepts a draft with one language and rejects an empty language map', () => {
    const draft = lesson([{ container: 'web' }]);
    draft.title = { en: 'First containers' } as typeof draft.title;
    expect(errorsOf(draft)).toEqual([]);
    draft.title = {} as typeof draft.title;
    expect(errorsOf(draft)).toEqual([
      `${FILE}: title: expected text in at least one language (ja, en, zh)`,
    ]);
  });

  it('takes the part a lesson belongs to, or none, and names the parts when one is unknown', () => {
    const checks = [{ container: 'web' }];
    expect(lessonSchema.parse({ ...lesson(checks), part: 'images' }).part).toBe('images');
    expect(lessonSchema.parse(lesson(checks)).part).toBeUndefined();
    expect(errorsOf({ ...lesson(checks), part: 'advanced' })).toEqual([
      `${FILE}: part: expected one of basics, images, networking-and-data, building, running-well, found "advanced"`,
    ]);
  });

  it('rejects unknown fields in a check', () => {
    expect(errorsOf(lesson([{ container: 'web', colour: 'blue' }]))).toEqual([
      `${FILE}: step "run-detached", checks[0]: unknown field "colour"`,
    ]);
  });
});
