// The kana blocks, which also hold `・` and the long-vowel mark `ー` (both Script=Common).
const JAPANESE = /[\u3040-\u30ff\u31f0-\u31ff\uff65-\uff9f]/gu;

/**
 * What keeps a text from being Simplified Chinese a learner can read: words outside `code`
 * spans but no Han characters (an untranslated English fallback; a text that is only a
 * command is fine), or Japanese kana and the Japanese middle dot `・` (a Japanese sentence,
 * or Japanese habits, left in the Chinese).
 *
 * @example
 * chineseProblems('容器 `web` 正在运行') // []
 * chineseProblems('コンテナ')          // ['no Han characters', 'Japanese kana or ・: コ, ン, テ, ナ']
 */

export function chineseProblems(text: string): string[] {
  const problems: string[] = [];
  const prose = text.replace(/`[^`]*`/g, '');
  if (/\p{L}/u.test(prose) && !/\p{Script=Han}/u.test(prose)) problems.push('no Han characters');
  const japanese = text.match(JAPANESE);
  if (japanese) problems.push(`Japanese kana or ・: ${[...new Set(japanese)].join(', ')}`);
  return problems;
}

/**
 * Only the Japanese kana and `・` of a text (for Chinese prose, where some parts, such as
 * a code block, rightly hold no Han characters).
 *
 * @example
 * japaneseMarks('运行 `ls`・然后') // ['・']
 */
export function japaneseMarks(text: string): string[] {
  return [...new Set(text.match(JAPANESE) ?? [])];
}
