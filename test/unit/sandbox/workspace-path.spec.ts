import { describe, expect, it } from 'vitest';
import { workspacePath } from '../../../sandbox-server/src/sandbox/workspace-path.ts';

describe('workspace paths', () => {
  it('normalises paths inside the workspace', () => {
    expect(workspacePath('app/index.html')).toBe('app/index.html');
    expect(workspacePath('./a//b/./c.txt')).toBe('a/b/c.txt');
  });
  it('refuses absolute paths, .. segments, empty names and NUL bytes', () => {
    expect(() => workspacePath('/etc/passwd')).toThrow(/absolute/);
    expect(() => workspacePath('a/../../etc')).toThrow(/leaves the workspace/);
    expect(() => workspacePath('./')).toThrow(/empty/);
    expect(() => workspacePath('a\0b')).toThrow(/NUL/);
  });
});
