import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LessonError, loadLesson } from '../../../sandbox-server/src/lessons/load-lesson.ts';

const YAML = `order: 9
title: {ja: テスト, en: Test}
images: [busybox]
steps:
  - id: run-detached
    title: {ja: 起動, en: Start}
    solution: docker run -d --name web busybox sleep 100
    hints: {ja: ['-d'], en: ['-d']}
    checks:
      - container: web
        state: running
      - inspect: {container: web, path: 42}
`;

async function lessonDir(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'handson-lesson-'));
  const dir = path.join(root, '09-test-lesson');
  await mkdir(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

async function problemsOf(dir: string, opts = {}): Promise<string[]> {
  try {
    await loadLesson(dir, { relativeTo: path.dirname(dir), ...opts });
    return [];
  } catch (error) {
    if (error instanceof LessonError) return error.problems;
    throw error;
  }
}

const prose =
  '<Step id="run-detached">\nStart it: <Run>docker run -d --name web busybox sleep 100</Run>\n</Step>\n';

describe('loading a lesson folder', () => {
  it('names the file, its line, the step and the field of a schema error', async () => {
    const dir = await lessonDir({ 'lesson.yaml': YAML, 'en.mdx': prose });
    expect(await problemsOf(dir)).toEqual([
      '09-test-lesson/lesson.yaml:12: step "run-detached", checks[1].inspect.path: expected a string, found a number',
    ]);
  });

  it('loads a good lesson and derives its id from the folder', async () => {
    const dir = await lessonDir({
      'lesson.yaml': YAML.replace('path: 42', 'path: Config.Image'),
      'en.mdx': prose,
    });
    const lesson = await loadLesson(dir);
    expect(lesson.id).toBe('test-lesson');
    expect(lesson.spec.steps[0]!.checks[1]).toEqual({
      kind: 'inspect',
      container: 'web',
      path: 'Config.Image',
    });
  });

  it('reports prose whose steps do not match the spec', async () => {
    const dir = await lessonDir({
      'lesson.yaml': YAML.replace('path: 42', 'path: Config.Image'),
      'en.mdx': prose,
      'ja.mdx': '<Step id="run-detatched">\n</Step>\n',
    });
    expect(await problemsOf(dir)).toEqual([
      '09-test-lesson/ja.mdx: no <Step id="…"> section for step "run-detached"',
      '09-test-lesson/ja.mdx: <Step> section "run-detatched" is not a step of lesson.yaml (its steps: run-detached)',
    ]);
  });

  it('rejects an image the local registry does not provide', async () => {
    const dir = await lessonDir({
      'lesson.yaml': YAML.replace('path: 42', 'path: Config.Image').replace(
        '[busybox]',
        '[busybox, centos]',
      ),
      'en.mdx': prose,
    });
    const [problem] = await problemsOf(dir);
    expect(problem).toMatch(
      /^09-test-lesson\/lesson\.yaml:3: images\[1\]: "centos" is not an image the local registry provides/,
    );
  });

  it('requires every language of the course when asked', async () => {
    const dir = await lessonDir({
      'lesson.yaml': YAML.replace('path: 42', 'path: Config.Image').replace(
        '{ja: 起動, en: Start}',
        '{en: Start}',
      ),
      'en.mdx': prose,
    });
    expect(await problemsOf(dir)).toEqual([]);
    expect(await problemsOf(dir, { requireLangs: ['ja', 'en'] })).toEqual([
      '09-test-lesson/lesson.yaml: step "run-detached", title: missing the ja text',
      '09-test-lesson/ja.mdx: not found; the course needs ja prose',
    ]);
  });

  it('a lesson with zh.mdx has Chinese, so every localised text it has needs zh', async () => {
    const spec = YAML.replace('path: 42', 'path: Config.Image').replace(
      '      - inspect: {container: web, path: Config.Image}',
      '      - inspect: {container: web, path: Config.Image}\n        message: {ja: 違う, en: Wrong}',
    );
    const withoutZh = await lessonDir({ 'lesson.yaml': spec, 'en.mdx': prose });
    expect(await problemsOf(withoutZh, { requireLangs: ['en'] })).toEqual([]);

    const dir = await lessonDir({ 'lesson.yaml': spec, 'en.mdx': prose, 'zh.mdx': prose });
    expect(await problemsOf(dir)).toEqual([
      '09-test-lesson/lesson.yaml: title: missing the zh text',
      '09-test-lesson/lesson.yaml: step "run-detached", title: missing the zh text',
      '09-test-lesson/lesson.yaml: step "run-detached", hints: missing the zh hints',
      '09-test-lesson/lesson.yaml: step "run-detached", checks[1].message: missing the zh text',
    ]);

    const translated = spec
      .replace('{ja: テスト, en: Test}', '{ja: テスト, en: Test, zh: 测试}')
      .replace('{ja: 起動, en: Start}', '{ja: 起動, en: Start, zh: 启动}')
      .replace("{ja: ['-d'], en: ['-d']}", "{ja: ['-d'], en: ['-d'], zh: ['-d']}")
      .replace('{ja: 違う, en: Wrong}', '{ja: 違う, en: Wrong, zh: 不对}');
    await writeFile(path.join(dir, 'lesson.yaml'), translated);
    const lesson = await loadLesson(dir);
    expect(Object.keys(lesson.prose).sort()).toEqual(['en', 'zh']);
  });

  it('reports YAML syntax errors with their line', async () => {
    const dir = await lessonDir({ 'lesson.yaml': 'order: 1\ntitle: {ja: x\n', 'en.mdx': prose });
    const [problem] = await problemsOf(dir);
    expect(problem).toMatch(/^09-test-lesson\/lesson\.yaml:\d+: YAML syntax error: /);
  });
});
