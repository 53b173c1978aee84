import { describe, expect, it } from 'vitest';
import type { Part } from '#contracts/lesson.ts';
import { groupIntoParts } from '../../../../site/src/lib/course-parts.ts';
import type { LessonView } from '../../../../site/src/lib/lesson-view.ts';

const lesson = (folder: string, order: number, part: Part | undefined): LessonView => ({
  id: folder.replace(/^\d+-/, ''),
  folder,
  order,
  part,
  title: folder,
  summary: undefined,
  steps: [],
});

const course = [
  lesson('10-private-registry', 10, 'building'),
  lesson('06-dockerfile', 6, 'building'),
  lesson('01-the-engine', 1, 'basics'),
  lesson('99-draft', 99, undefined),
  lesson('07-networking', 7, 'networking-and-data'),
];

describe('the course index grouped into parts', () => {
  it("lists the parts in the course's order, each part's lessons in course order", () => {
    const parts = groupIntoParts(course, 'en');
    expect(parts.map((p) => p.part)).toEqual([
      'basics',
      'networking-and-data',
      'building',
      undefined,
    ]);
    expect(parts[2]!.lessons.map((l) => l.folder)).toEqual([
      '06-dockerfile',
      '10-private-registry',
    ]);
  });

  it('leaves out parts without lessons and puts lessons without a part last', () => {
    const parts = groupIntoParts(course, 'en');
    expect(parts.some((p) => p.part === 'images')).toBe(false);
    expect(parts.at(-1)).toMatchObject({ part: undefined, title: 'More lessons' });
  });

  it('titles the parts in every language', () => {
    const titles = (lang: 'ja' | 'en' | 'zh') => groupIntoParts(course, lang).map((p) => p.title);
    expect(titles('en')).toEqual([
      'Basics',
      'Networking and data',
      'Building and shipping images',
      'More lessons',
    ]);
    expect(titles('ja')).toEqual([
      '基本',
      'ネットワークとデータ',
      'イメージを作って配る',
      'その他のレッスン',
    ]);
    expect(titles('zh')).toEqual(['基础', '网络与数据', '构建与分发镜像', '更多课程']);
  });
});
