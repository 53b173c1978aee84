import { describe, expect, it } from 'vitest';
import { shellUnits } from '../../../sandbox-server/src/solutions/shell-units.ts';

describe('splitting a shell solution into commands', () => {
  it('gives one unit per line, skipping blank lines', () => {
    expect(shellUnits('docker ps\n\ndocker ps -a\n')).toEqual([['docker ps'], ['docker ps -a']]);
  });

  it('keeps backslash continuations together', () => {
    expect(shellUnits('docker run -d \\\n  --name web nginx\necho done')).toEqual([
      ['docker run -d \\', '  --name web nginx'],
      ['echo done'],
    ]);
  });

  it('keeps a heredoc together up to its terminator', () => {
    expect(
      shellUnits('cat <<\'EOF\' > Dockerfile\nFROM debian\n\nCMD ["bash"]\nEOF\ndocker build .'),
    ).toEqual([
      ["cat <<'EOF' > Dockerfile", 'FROM debian', '', 'CMD ["bash"]', 'EOF'],
      ['docker build .'],
    ]);
  });
});
