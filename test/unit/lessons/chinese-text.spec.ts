import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { lessonSchema } from '#contracts/lesson.ts';
import { scaffoldFiles } from '../../../sandbox-server/src/lessons/scaffold.ts';
import { dictionary, messageKeys } from '../../../site/src/client/i18n.ts';
import { workshopMessageKeys, wt } from '../../../site/src/client/workshop-i18n.ts';
import { chineseProblems, japaneseMarks } from '../helpers/chinese-text.ts';

// Every Chinese text the course shows — the site's strings, each lesson's zh fields and zh.mdx —
// is Simplified Chinese: Han characters, and no Japanese kana or `・` carried over.

const lessonsDir = path.resolve(import.meta.dirname, '..', '..', '..', 'content', 'lessons');
const folders = readdirSync(lessonsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const translated = folders.filter((folder) => existsSync(path.join(lessonsDir, folder, 'zh.mdx')));

/** Every zh string of a parsed lesson, with where it is. */
function zhFields(yamlText: string): [string, string][] {
  const lesson = lessonSchema.parse(YAML.parse(yamlText));
  const out: [string, string][] = [];
  if (lesson.title.zh) out.push(['title', lesson.title.zh]);
  if (lesson.summary?.zh) out.push(['summary', lesson.summary.zh]);
  for (const step of lesson.steps) {
    if (step.title.zh) out.push([`${step.id}.title`, step.title.zh]);
    for (const [i, hint] of (step.hints.zh ?? []).entries())
      out.push([`${step.id}.hints[${i}]`, hint]);
    for (const [i, check] of step.checks.entries())
      if (check.message?.zh) out.push([`${step.id}.checks[${i}].message`, check.message.zh]);
  }
  return out;
}

describe('Chinese text', () => {
  it('the rule catches kana, the Japanese middle dot and untranslated English', () => {
    expect(chineseProblems('容器 `web` 正在运行')).toEqual([]);
    expect(chineseProblems('コンテナ `web` は実行中')).toEqual([
      'Japanese kana or ・: コ, ン, テ, ナ, は',
    ]);
    expect(japaneseMarks('镜像・容器')).toEqual(['・']);
    expect(chineseProblems('container `web`')).toEqual(['no Han characters']);
    expect(chineseProblems('`docker start napper`')).toEqual([]);
  });

  it('the site says every string in Chinese', () => {
    for (const key of messageKeys())
      expect(chineseProblems(dictionary('zh')[key]), key).toEqual([]);
    for (const key of workshopMessageKeys())
      expect(chineseProblems(wt('zh', key)), key).toEqual([]);
  });

  it.each(folders)('%s: every zh field of lesson.yaml is Chinese', (folder) => {
    const text = readFileSync(path.join(lessonsDir, folder, 'lesson.yaml'), 'utf8');
    for (const [where, value] of zhFields(text))
      expect(chineseProblems(value), `${folder}: ${where}`).toEqual([]);
  });

  it.each(translated)('%s: zh.mdx holds no Japanese kana or ・', (folder) => {
    const mdx = readFileSync(path.join(lessonsDir, folder, 'zh.mdx'), 'utf8');
    expect(japaneseMarks(mdx), `${folder}/zh.mdx`).toEqual([]);
  });

  it('a new lesson starts with Chinese that passes the same rules', () => {
    const files = scaffoldFiles(1);
    for (const [where, value] of zhFields(files['lesson.yaml']!))
      expect(chineseProblems(value), where).toEqual([]);
    expect(japaneseMarks(files['zh.mdx']!)).toEqual([]);
  });
});
