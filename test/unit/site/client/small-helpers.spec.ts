import { describe, expect, it } from 'vitest';
import { languageForFile } from '../../../../site/src/client/editor-language.ts';
import { screenText } from '../../../../site/src/client/screen-text.ts';
import { clampSplit, splitAfterKey } from '../../../../site/src/client/split-pane.ts';

describe('the editor picks a highlighting language from the file name', () => {
  it.each([
    ['Dockerfile', 'dockerfile'],
    ['app/Dockerfile', 'dockerfile'],
    ['Dockerfile.dev', 'dockerfile'],
    ['web.dockerfile', 'dockerfile'],
    ['compose.yaml', 'yaml'],
    ['ci/config.yml', 'yaml'],
    ['entrypoint.sh', 'shell'],
    ['counter/app.py', 'python'],
    ['hello/hello.c', 'c'],
    ['include/greeting.h', 'c'],
    ['notes.txt', 'plaintext'],
  ])('%s → %s', (file, language) => {
    expect(languageForFile(file)).toBe(language);
  });
});

describe('the resizable split', () => {
  it('moves 5% per arrow key and stops at 20% and 80%', () => {
    expect(splitAfterKey(40, 'ArrowRight')).toBe(45);
    expect(splitAfterKey(40, 'ArrowLeft')).toBe(35);
    expect(splitAfterKey(78, 'ArrowRight')).toBe(80);
    expect(splitAfterKey(40, 'Home')).toBe(20);
    expect(splitAfterKey(40, 'End')).toBe(80);
    expect(splitAfterKey(40, 'a')).toBeUndefined();
  });

  it('clamps dragged widths to whole percentages in range', () => {
    expect(clampSplit(3)).toBe(20);
    expect(clampSplit(55.4)).toBe(55);
    expect(clampSplit(99)).toBe(80);
  });
});

describe('reading the terminal screen', () => {
  const buffer = (lines: string[]) => ({
    length: lines.length,
    getLine: (y: number) =>
      lines[y] === undefined ? undefined : { translateToString: () => lines[y]! },
  });

  it('joins the last rows so a solution can wait for a prompt', () => {
    const b = buffer(['old output', 'root@box:/# ', 'last']);
    expect(screenText(b, 2)).toBe('root@box:/# \nlast');
    expect(screenText(b)).toContain('old output');
  });
});
