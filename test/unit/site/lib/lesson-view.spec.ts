import { describe, expect, it } from 'vitest';
import { lessonSchema } from '#contracts/lesson.ts';
import { escapeHtml, inlineMarkdown } from '../../../../site/src/lib/inline-markdown.ts';
import { toLessonView } from '../../../../site/src/lib/lesson-view.ts';

const lesson = lessonSchema.parse({
  order: 3,
  title: { ja: 'ライフサイクル', en: 'The lifecycle' },
  steps: [
    {
      id: 'run-detached',
      title: { ja: '起動する', en: 'Start it' },
      solution: 'docker run -d --name web -p 8080:80 nginx',
      hints: { ja: ['`-d` で切り離します'], en: ['`-d` detaches it'] },
      checks: [{ container: 'web', state: 'running' }, { http: { port: 8080 } }],
    },
    {
      id: 'write',
      title: { en: 'Write it' },
      solution: [{ type: 'docker run -it debian bash' }, { keys: 'C-p C-q' }],
      hints: { en: ['use the editor'] },
      checks: [{ image: 'hi' }],
      files: [{ path: 'app/Dockerfile', content: 'FROM busybox\n', language: 'dockerfile' }],
    },
  ],
});

describe('a lesson as the page sees it', () => {
  it('uses the folder name without its number as the lesson id', () => {
    expect(toLessonView('03-lifecycle', lesson, 'en').id).toBe('lifecycle');
  });

  it('picks text in the page language, falling back to the other one in a draft', () => {
    const ja = toLessonView('03-lifecycle', lesson, 'ja');
    expect(ja.title).toBe('ライフサイクル');
    expect(ja.steps[0]!.hints).toEqual(['`-d` で切り離します']);
    expect(ja.steps[1]!.title).toBe('Write it');
  });

  it('offers the ports of http checks and the files of the editor', () => {
    const view = toLessonView('03-lifecycle', lesson, 'en');
    expect(view.steps[0]!.ports).toEqual([8080]);
    expect(view.steps[0]!.files).toEqual([]);
    expect(view.steps[1]!.files).toEqual([
      { path: 'app/Dockerfile', content: 'FROM busybox\n', language: 'dockerfile' },
    ]);
  });
});

describe('hint text', () => {
  it('renders code and emphasis, and nothing else as markup', () => {
    expect(inlineMarkdown('`-d` **detaches** it')).toBe(
      '<code>-d</code> <strong>detaches</strong> it',
    );
    expect(inlineMarkdown('<script>x</script> `<b>`')).toBe(
      '&lt;script&gt;x&lt;/script&gt; <code>&lt;b&gt;</code>',
    );
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;');
  });
});
